package fr.gardien.sim.testing;

import fr.gardien.sim.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the simulator, in-process through picocli as from the command line: its exit code
 * and what it printed on standard output and standard error.
 */
public record SimRun(int exitCode, String out, String err) {

  /** Runs {@code gardien-sim ARGS…} to its end. */
  public static SimRun execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new SimRun(code, out.toString(), err.toString());
  }
}
