-- Issue 14: people counts never stay in an alert's explanation. Since this version the gateway
-- removes the figures of a rule that read a people count before it records the alert; the
-- alerts recorded before it by the built-in lighting-on-empty rule still hold its guard's
-- people count (the "people" figure): removed here.
UPDATE alerts SET explanation = explanation #- '{figures,people}'
 WHERE rule_id = 'lighting-on-empty' AND jsonb_exists(explanation -> 'figures', 'people');
