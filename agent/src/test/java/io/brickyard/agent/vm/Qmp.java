package io.brickyard.agent.vm;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A minimal QMP client, used once per stuck VM just before qemu is killed: it asks the monitor
 * for human-readable state ({@code info registers -a}, {@code info cpus}) so the failure says
 * where the guest's CPUs are, even when the guest printed nothing. QMP rather than a second
 * {@code -monitor}: it is line-delimited JSON, so replies and asynchronous events can be told
 * apart without screen-scraping a prompt.
 */
final class Qmp {
  private Qmp() {}

  /**
   * Connects to qemu's {@code -qmp unix:SOCK,server=on,wait=off} and runs each HMP command;
   * returns command to output. Gives up after {@code timeout} (a wedged qemu must not hang the
   * failure report).
   */
  static Map<String, String> hmp(Path socket, List<String> commands, Duration timeout) throws Exception {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try (ch) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      Writer out = new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8);
      return CompletableFuture.supplyAsync(() -> {
        try {
          return converse(in, out, commands);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The protocol over any reader/writer (unit-tested on a captured session): greeting,
   * {@code qmp_capabilities}, then one {@code human-monitor-command} per command.
   */
  static Map<String, String> converse(BufferedReader in, Writer out, List<String> commands) throws IOException {
    JsonObject greeting = next(in);
    if (!greeting.has("QMP")) {
      throw new IOException("not a QMP greeting: " + greeting);
    }
    send(out, "{\"execute\":\"qmp_capabilities\"}");
    result(next(in));
    Map<String, String> answers = new LinkedHashMap<>();
    for (String c : commands) {
      JsonObject cmd = new JsonObject();
      cmd.addProperty("execute", "human-monitor-command");
      JsonObject args = new JsonObject();
      args.add("command-line", new JsonPrimitive(c));
      cmd.add("arguments", args);
      send(out, cmd.toString());
      answers.put(c, result(next(in)).replace("\r", ""));
    }
    return answers;
  }

  private static void send(Writer out, String json) throws IOException {
    out.write(json + "\n");
    out.flush();
  }

  /** The next reply, skipping asynchronous events (a stuck guest may still emit some). */
  static JsonObject next(BufferedReader in) throws IOException {
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      if (!o.has("event")) {
        return o;
      }
    }
    throw new IOException("QMP connection closed");
  }

  /** The "return" of a reply as text ("" for an object such as {}); an "error" reply throws. */
  static String result(JsonObject reply) throws IOException {
    if (reply.has("error")) {
      throw new IOException("QMP error: " + reply.get("error"));
    }
    if (!reply.has("return")) {
      throw new IOException("unexpected QMP reply: " + reply);
    }
    return reply.get("return").isJsonPrimitive() ? reply.get("return").getAsString() : "";
  }
}
