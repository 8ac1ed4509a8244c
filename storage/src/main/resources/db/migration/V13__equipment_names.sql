-- Optional human names from the portfolio (issue 17): an equipment's name ("Chaufferie") and a
-- point's label ("Départ chauffage"); NULL when the portfolio gives none.
ALTER TABLE equipment ADD COLUMN name text;
ALTER TABLE points ADD COLUMN label text;
