package fr.gardien.sim.fault;

import java.util.List;

/** A scenario file that cannot be used; the message lists every problem with its line. */
public final class ScenarioException extends Exception {
  private final List<String> problems;

  public ScenarioException(String origin, List<String> problems) {
    super(origin + ": " + problems.size() + " problem(s)\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
