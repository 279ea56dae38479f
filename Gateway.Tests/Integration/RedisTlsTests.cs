using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Redis over TLS with a private CA and a client certificate (<c>ssl=true</c> in the connection string, the files
/// in <c>Gateway:Store:Tls*</c>): sessions work over the TLS port; an untrusted server certificate, a wrong host
/// name or no client certificate leaves the gateway not ready and answering 503, never 500 nor an unchecked pass.
/// </summary>
public sealed class RedisTlsTests(RedisTlsServer redis) : GatewayTestBase(redis), IClassFixture<RedisTlsServer>
{
    protected override IDictionary<string, string?> Settings => Trust(redis.Certificates.CaCertificate);

    [Fact]
    public async Task Proxy_PrivateCaAndClientCertificate_SessionsWorkOverTls()
    {
        var sid = await LoginAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Single(redis.Keys(Host.KeyPrefix + "s:"));
        // The gateway's connections arrived on the TLS port (laddr is the server side of each connection).
        var clients = await redis.Server.ClientListAsync();
        Assert.Contains(clients, c => c.Name == "gateway" && c.Raw!.Contains($"laddr=127.0.0.1:{redis.TlsPort} "));
        Assert.DoesNotContain(clients, c => c.Name == "gateway" && !c.Raw!.Contains($"laddr=127.0.0.1:{redis.TlsPort} "));
    }

    [Fact]
    public async Task Proxy_ServerCertificateFromUntrustedCa_NotReadyAnd503()
    {
        await AssertRefusedAsync(redis.ConnectionString, Trust(redis.Certificates.OtherCaCertificate));
    }

    [Fact]
    public async Task Proxy_HostNameNotInServerCertificate_NotReadyAnd503()
    {
        await AssertRefusedAsync($"127.0.0.1:{redis.TlsPort},ssl=true,sslHost=redis.example", Trust(redis.Certificates.CaCertificate));
    }

    [Fact]
    public async Task Proxy_NoClientCertificate_NotReadyAnd503()
    {
        await AssertRefusedAsync(redis.ConnectionString, new Dictionary<string, string?> { ["Gateway:Store:TlsCaFile"] = redis.Certificates.CaCertificate });
    }

    private Dictionary<string, string?> Trust(string caFile) => new()
    {
        ["Gateway:Store:TlsCaFile"] = caFile,
        ["Gateway:Store:TlsClientCertificateFile"] = redis.Certificates.ClientCertificate,
        ["Gateway:Store:TlsClientKeyFile"] = redis.Certificates.ClientKey,
    };

    private Task AssertRefusedAsync(string connectionString, Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Redis"] = connectionString;
        return AssertStoreRefusedAsync(redis, settings);
    }
}
