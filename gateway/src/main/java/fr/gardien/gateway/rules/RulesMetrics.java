package fr.gardien.gateway.rules;

/** What the rule engine reports. Tags stay low-cardinality: never a rule, site or point id. */
public interface RulesMetrics {

    RulesMetrics NOOP = new RulesMetrics() {
        @Override
        public void evaluated(int readings) {
        }

        @Override
        public void notEvaluated(int readings) {
        }

        @Override
        public void signal(String kind) {
        }
    };

    /** Committed readings the engine evaluated. */
    void evaluated(int readings);

    /** Committed readings the engine never saw, its queue being full. */
    void notEvaluated(int readings);

    /** A signal by kind: raised, cleared. */
    void signal(String kind);
}
