using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;

namespace Gateway.Security;

/// <summary>
/// <c>Gateway:TrustedProxies</c> applied to ASP.NET's forwarded-headers middleware: <c>X-Forwarded-For</c>,
/// <c>-Proto</c> and <c>-Host</c> are believed only from these peers, walking the chain from the right and
/// stopping at the first address that is not trusted. With none configured, the middleware is not used at all,
/// so the TCP peer is the client (ASP.NET's own default of trusting loopback is cleared either way).
/// </summary>
internal static class TrustedProxies
{
    public static bool TryParse(string? entry, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(entry))
        {
            return false;
        }
        var text = entry.Trim();
        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            // "10.0.0.1/8" is a typo that would trust a whole /8: refuse host bits past the prefix.
            return IPNetwork.TryParse(text, out network) && IPAddress.TryParse(text[..slash], out var written) && network.BaseAddress.Equals(written);
        }
        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }
        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    public static void Configure(ForwardedHeadersOptions options, IEnumerable<string> entries)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        options.ForwardLimit = null;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in entries)
        {
            if (TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
        }
    }
}
