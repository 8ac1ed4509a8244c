package fr.gardien.rules;

/** How bad it is. */
public enum Severity {
    INFO, WARNING, MAJOR, CRITICAL
}
