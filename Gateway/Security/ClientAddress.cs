using System.Net;
using System.Net.Sockets;

namespace Gateway.Security;

/// <summary>
/// The client address that bans and counters key on: IPv4 as is, IPv6 by its /64 (one subscriber usually holds
/// a whole /64, so per-address counting would let them rotate freely). The address itself is
/// <c>RemoteIpAddress</c>, which the trusted-proxies rule has already settled.
/// </summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context) => Subject(context.Connection.RemoteIpAddress);

    public static string Subject(string ip) => IPAddress.TryParse(ip, out var address) ? Subject(address) : ip;

    public static string Subject(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
