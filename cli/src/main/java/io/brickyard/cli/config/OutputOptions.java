package io.brickyard.cli.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Option;

/**
 * Mixin: {@code -o text|json|yaml}, for people and for scripts. The one place that knows the
 * machine-readable formats: a read command asks {@link #structured()} and hands its response to
 * {@link #print}, so a new format reaches every command that uses this mixin.
 */
public final class OutputOptions {
  /**
   * Every {@code -o json} output prints empty lists, false and zero values too (proto3 leaves
   * defaults out): a script reading {@code .steps} of a plan with nothing to do must find [], not
   * no key at all. YAML is made from exactly this JSON, so both carry the same keys and values.
   */
  private static final JsonFormat.Printer JSON = JsonFormat.printer().includingDefaultValueFields();

  /** The formats, in the order help lists them. */
  public enum Format { text, json, yaml }

  /** What shell completion offers after {@code -o} (picocli calls it by reflection). */
  static final class Formats extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Formats() {
      super(Arrays.stream(Format.values()).map(Enum::name).toList());
    }
  }

  @Option(names = {"-o", "--output"}, defaultValue = "text", completionCandidates = Formats.class,
      description = "text, json or yaml (default ${DEFAULT-VALUE}).")
  String output;

  /** The chosen format; throws a bad-input error for anything but text, json or yaml. */
  public Format format() {
    for (Format f : Format.values()) {
      if (f.name().equals(output)) {
        return f;
      }
    }
    throw new IllegalArgumentException("--output: expected text, json or yaml, got '" + output + "'");
  }

  /** True for json or yaml: the command prints its response with {@link #print}, not as text. */
  public boolean structured() {
    return format() != Format.text;
  }

  /** The one way the CLI prints a response for scripts: JSON or YAML as chosen by {@code -o}. */
  public void print(MessageOrBuilder m, PrintWriter out) throws InvalidProtocolBufferException {
    out.print(render(format(), m));
  }

  /** {@code m} as JSON or YAML text ending in a newline (text is each command's own business). */
  public static String render(Format f, MessageOrBuilder m) throws InvalidProtocolBufferException {
    String json = JSON.print(m);
    return switch (f) {
      case json -> json + System.lineSeparator();
      case yaml -> yaml(JsonParser.parseString(json));
      case text -> throw new IllegalArgumentException("text output is printed by each command");
    };
  }

  /**
   * Block-style YAML of the JSON tree. Values keep their JSON types: proto3 JSON prints 64-bit
   * integers as strings, so they stay quoted strings here too, and a script gets the same types
   * from either format.
   */
  static String yaml(JsonElement tree) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setIndicatorIndent(0);
    o.setSplitLines(false);
    return new Yaml(o).dump(plain(tree));
  }

  private static Object plain(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e instanceof JsonObject obj) {
      Map<String, Object> m = new LinkedHashMap<>();
      obj.entrySet().forEach(en -> m.put(en.getKey(), plain(en.getValue())));
      return m;
    }
    if (e instanceof JsonArray arr) {
      List<Object> l = new ArrayList<>(arr.size());
      arr.forEach(x -> l.add(plain(x)));
      return l;
    }
    JsonPrimitive p = (JsonPrimitive) e;
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isNumber()) {
      String s = p.getAsString();
      return s.matches("-?\\d+") ? new BigInteger(s) : (Object) Double.valueOf(s);
    }
    return p.getAsString();
  }
}
