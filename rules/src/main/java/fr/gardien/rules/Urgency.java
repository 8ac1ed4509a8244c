package fr.gardien.rules;

/** When someone must act (product brief: "a stuck lift now; a clogging filter next week"). */
public enum Urgency {
    /** Now: a stuck lift, no heat in winter, legionella risk. */
    IMMEDIATE,
    /** Within days: a pressure slowly falling, a fan stopped in a shared room. */
    WITHIN_DAYS,
    /** At the next planned visit: door cycles since maintenance, a filter clogging. */
    PLANNED
}
