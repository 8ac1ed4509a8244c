package fr.gardien.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Map;

/** A command's report: a table for people, and one JSON object with the same figures for scripts. */
public interface Report {

  /** The figures by name, in the order of the JSON object. */
  Map<String, Object> figures();

  /** The report as a table, line-terminated. */
  String toTable();

  /** The figures as one JSON object on a single line. */
  default String toJson() {
    try {
      return new ObjectMapper().writeValueAsString(figures());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints {@code report}: with {@code json}, the JSON object on {@code out} and the table on {@code err}; else the table on {@code out}. */
  static void print(Report report, boolean json, PrintWriter out, PrintWriter err) {
    if (json) {
      err.print(report.toTable());
      out.println(report.toJson());
    } else {
      out.print(report.toTable());
    }
    out.flush();
    err.flush();
  }
}
