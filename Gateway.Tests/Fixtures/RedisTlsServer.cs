using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A redis-server that takes the gateway over TLS only: its TLS port needs a client certificate from the test's
/// private CA (Redis's default <c>tls-auth-clients yes</c>). The plain port serves the test's own assertions.
/// </summary>
public sealed class RedisTlsServer : IAsyncLifetime, IRedisFixture
{
    private readonly RedisServer _server;

    public RedisTlsServer()
    {
        _server = new RedisServer
        {
            ExtraArguments = ["--tls-port", TlsPort.ToString(), "--tls-cert-file", Certificates.ServerCertificate, "--tls-key-file",
                Certificates.ServerKey, "--tls-ca-cert-file", Certificates.CaCertificate, "--tls-auth-clients", "yes"],
        };
    }

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public int TlsPort { get; } = RedisServer.FreePort();

    /// <summary>The gateway's connection string: the TLS port only.</summary>
    public string ConnectionString => $"127.0.0.1:{TlsPort},ssl=true,sslHost=localhost";

    public IDatabase Database => _server.Database;

    public IServer Server => _server.Server;

    public List<string> Keys(string prefix) => _server.Keys(prefix);

    public Task InitializeAsync() => _server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Certificates.Dispose();
    }
}
