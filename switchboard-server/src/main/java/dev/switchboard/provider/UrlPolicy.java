package dev.switchboard.provider;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which base URLs an API-created provider may use: http(s) only, and never a link-local or cloud
 * metadata address (169.254.0.0/16, fe80::/10, fd00:ec2::254, metadata.google.internal), which would let
 * anyone with write access read the host's cloud credentials. Hosts on the allow-list skip the address
 * checks. Config-file providers are trusted as written.
 *
 * <p>The check runs when the provider is created or changed, and again right before every request of a
 * fetch ({@link HttpUpstreamClient#withDeadline(java.time.Instant, UrlPolicy)}): what a name resolves to
 * can change in between.
 */
public final class UrlPolicy {
    private static final List<String> METADATA_HOSTS = List.of("metadata.google.internal", "metadata", "instance-data");

    private final List<String> allowedHosts;
    private final Resolver resolver;

    public UrlPolicy(List<String> allowedHosts) {
        this(allowedHosts, InetAddress::getAllByName);
    }

    /** As above, resolving names with {@code resolver} (tests stand in for DNS this way). */
    public UrlPolicy(List<String> allowedHosts, Resolver resolver) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.resolver = resolver;
    }

    /** Every address a host name resolves to now. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why {@code url} is refused, or empty when it may be used. */
    public Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL, got scheme \"" + scheme + "\"");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) return Optional.of("must name a host");
        if (url.getUserInfo() != null) return Optional.of("must not carry a user name or password; use api_key");
        String bare = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        if (allowedHosts.contains(bare)) return Optional.empty();
        if (METADATA_HOSTS.contains(bare)) return Optional.of("points at a cloud metadata service (" + bare + "), which is not allowed");
        try {
            for (InetAddress address : resolver.resolve(bare)) {
                if (forbidden(address)) {
                    return Optional.of("resolves to " + address.getHostAddress()
                            + ", a link-local or metadata address, which is not allowed (list the host in [auth] allowed_provider_hosts to permit it)");
                }
            }
        } catch (UnknownHostException e) {
            return Optional.empty(); // unresolvable now: the fetch will report it; nothing forbidden was reached
        }
        return Optional.empty();
    }

    /**
     * Why a connection to {@code address}, made for {@code host}, is refused, or empty: for callers that learn
     * the address as they connect (the gateway checks the connection it got, before sending anything on it).
     */
    public Optional<String> addressRefusal(String host, InetAddress address) {
        String bare = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        if (allowedHosts.contains(bare)) return Optional.empty();
        if (METADATA_HOSTS.contains(bare)) return Optional.of("points at a cloud metadata service (" + bare + "), which is not allowed");
        if (!forbidden(address)) return Optional.empty();
        return Optional.of("resolves to " + address.getHostAddress() + ", a link-local or metadata address, which is not allowed"
                + " (list the host in [auth] allowed_provider_hosts to permit it)");
    }

    private static boolean forbidden(InetAddress address) {
        if (address.isLinkLocalAddress()) return true; // 169.254.0.0/16 and fe80::/10
        String text = address.getHostAddress().toLowerCase(Locale.ROOT);
        return text.startsWith("fd00:ec2:0:0:0:0:0:254") || text.equals("fd00:ec2::254");
    }
}
