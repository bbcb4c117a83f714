package io.brickyard.coordinator.spec;

import io.brickyard.common.net.HostPort;

/**
 * One storage server. {@code name} is what the spec (bricks, storage overrides) refers to;
 * {@code address} is where its agent listens; {@code glusterAddress} is the host name glusterd uses
 * for peer probe and in brick names, which must resolve on every peer (default: the name).
 */
public record NodeSpec(String name, HostPort address, String glusterAddress) {}
