package fr.gardien.sim.fault;

import fr.gardien.sim.portfolio.Portfolio;
import java.util.List;

/** The problems a scenario the tests expect to be refused is refused with. */
final class ScenarioProblems {

  private ScenarioProblems() {
  }

  /** The problems of {@code yaml} against {@code portfolio}; fails the test when the scenario is accepted. */
  static List<String> of(String yaml, Portfolio portfolio) {
    try {
      ScenarioReader.parse("test.yaml", yaml, portfolio);
    } catch (ScenarioException e) {
      return e.problems();
    }
    throw new AssertionError("the scenario was accepted");
  }
}
