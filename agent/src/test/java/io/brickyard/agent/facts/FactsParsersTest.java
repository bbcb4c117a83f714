package io.brickyard.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import io.brickyard.api.agent.v1.NetworkInterface;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactsParsersTest {
  @Test
  void osRelease() {
    Map<String, String> os = OsRelease.parse(Fixtures.read("os-release/debian12"));
    assertThat(os).containsEntry("ID", "debian").containsEntry("VERSION_ID", "12")
        .containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)");
  }

  @Test
  void dpkgVersionsByProductKey() {
    Map<String, String> v = Packages.parseDpkg(Fixtures.read("dpkg/query.txt"));
    assertThat(v).containsEntry("glusterfs", "10.3-5").containsEntry("nfs-ganesha", "4.3-2")
        .containsEntry("lvm2", "2.03.16-2").containsEntry("xfsprogs", "6.1.0-1").containsEntry("firewalld", "1.3.3-1~deb12u2");
  }

  @Test
  void dpkgSkipsPackagesNotInstalled() {
    assertThat(Packages.parseDpkg("glusterfs-server\tnot-installed\t\nlvm2\tinstalled\t2.03.16-2\n"))
        .containsOnlyKeys("lvm2");
  }

  @Test
  void rpmOutputIncludingMissingPackages() {
    // rpm -q prints a plain sentence for packages that are not installed.
    Map<String, String> v = Packages.parseRpm("glusterfs-server\t11.1-1.el9s\npackage nfs-ganesha is not installed\n");
    assertThat(v).containsOnlyKeys("glusterfs").containsEntry("glusterfs", "11.1-1.el9s");
  }

  @Test
  void ipAddr() {
    List<NetworkInterface> ifs = IpAddr.parse(Fixtures.read("ip/debian12-host.json"));
    NetworkInterface lo = ifs.stream().filter(i -> i.getName().equals("lo")).findFirst().orElseThrow();
    assertThat(lo.getUp()).isTrue();
    assertThat(lo.getAddressesList()).contains("127.0.0.1/8");
    NetworkInterface ifb = ifs.stream().filter(i -> i.getName().equals("ifb0")).findFirst().orElseThrow();
    assertThat(ifb.getUp()).isFalse();
    assertThat(ifb.getAddressesList()).isEmpty();
    NetworkInterface eth = ifs.stream().filter(i -> i.getName().equals("eth0")).findFirst().orElseThrow();
    assertThat(eth.getAddressesList()).contains("192.0.2.2/24");
  }
}
