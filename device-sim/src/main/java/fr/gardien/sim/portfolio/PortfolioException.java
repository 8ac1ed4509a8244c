package fr.gardien.sim.portfolio;

import java.util.List;

/** A portfolio file that cannot be simulated; the message lists every problem found. */
public class PortfolioException extends Exception {
  private final List<String> problems;

  public PortfolioException(String file, List<String> problems) {
    super("portfolio " + file + " cannot be simulated:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, one sentence naming the offending entry. */
  public List<String> problems() {
    return problems;
  }
}
