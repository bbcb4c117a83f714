package io.brickyard.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * {@code brickyard_tls_certificate_expiry_timestamp_seconds{certificate}}: the notAfter of a
 * daemon's own certificate and of the cluster CA, as Unix seconds, so one alert rule ({@code
 * expiry - time() < 30 days}) covers every node, the coordinator and the CA. Read from the file at
 * each scrape (a few hundred microseconds): a certificate renewed in place is reported at once,
 * without a restart. NaN when the file cannot be read or parsed (the daemon would not have
 * started without it; a broken copy made later shows as a gap, not as a stale date).
 */
public final class CertificateExpiry {
  public static final String METRIC = "brickyard_tls_certificate_expiry_timestamp_seconds";

  private CertificateExpiry() {}

  /** Registers the gauge for {@code file}, labelled {@code certificate=<name>}. */
  public static void register(MeterRegistry registry, String name, Path file) {
    Gauge.builder(METRIC, () -> notAfterSeconds(file))
        .description("notAfter of the daemon's TLS certificate (certificate=its name) and of the cluster CA"
            + " (certificate=ca), in Unix seconds")
        .tag("certificate", name)
        .register(registry);
  }

  /** The first certificate's notAfter in the PEM file, or NaN. */
  public static double notAfterSeconds(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return c.getNotAfter().toInstant().getEpochSecond();
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
