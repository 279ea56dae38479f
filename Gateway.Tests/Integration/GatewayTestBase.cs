using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// A recording backend and a gateway in front of it, per test. <see cref="Store"/> null means the in-memory
/// store. Helpers speak HTTP the way clients do and let tests see every header.
/// </summary>
public abstract class GatewayTestBase(IStoreFixture? store) : IAsyncLifetime
{
    /// <summary>The store deployment behind the gateway; null for the in-memory store.</summary>
    protected IStoreFixture? Store { get; } = store;

    /// <summary>The single redis-server behind the gateway, when that is the deployment (null for the others).</summary>
    protected RedisServer? Redis { get; } = store as RedisServer;

    /// <summary>The Redis deployment behind the gateway (server, cluster or sentinel group); null for other stores.</summary>
    protected IRedisFixture? RedisDeployment { get; } = store as IRedisFixture;

    protected RecordingBackend Backend { get; } = new();

    protected GatewayHost Host { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Where the gateway proxies to: the recording backend, unless a class brings its own.</summary>
    protected virtual string BackendUrl => Backend.Url;

    /// <summary>Extra configuration for this class's gateway.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The store isolation key of this class's gateway; null: one of its own.</summary>
    protected virtual string? IsolationKey => null;

    /// <summary>Extra registrations for this class's gateway (loggers, exporters).</summary>
    protected virtual void ConfigureHost(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        Host = await GatewayHost.StartAsync(BackendUrl, Store, Settings, ConfigureHost, IsolationKey);
        Client = Host.CreateClient();

        // As a load balancer would: no traffic before the gateway reports ready (store connected).
        await Eventually.HoldsAsync(async () => (await Client.GetAsync("/readyz")).StatusCode == System.Net.HttpStatusCode.OK, "the gateway ready");
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        Backend.Dispose();
    }

    protected static AuthenticationHeaderValue Basic(string user, string? password = null) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password ?? GatewayHost.DefaultPasswords[user]}")));

    protected Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Get, path, configure);

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    /// <summary>Logs in <paramref name="count"/> sessions, alice's and bob's by turns; their ids in order.</summary>
    protected async Task<List<string>> LoginByTurnsAsync(int count)
    {
        var sids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            sids.Add(await LoginAsync(i % 2 == 0 ? "alice" : "bob"));
        }
        return sids;
    }

    /// <summary>Logs in through the login form and returns the session cookie value.</summary>
    protected async Task<string> LoginAsync(string user, string? password = null)
    {
        var response = await PostFormAsync("/auth/login", ("username", user), ("password", password ?? GatewayHost.DefaultPasswords[user]), ("returnUrl", "/"));
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, response.StatusCode);
        return SessionCookie(response) ?? throw new Xunit.Sdk.XunitException("login set no session cookie");
    }

    protected Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields) =>
        PostFormAsync(path, null, fields);

    protected async Task<HttpResponseMessage> PostFormAsync(string path, string? cookie, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"sid={cookie}");
        }
        return await Client.SendAsync(request);
    }

    protected static Action<HttpRequestMessage> WithCookie(string value) => r => r.Headers.Add("Cookie", $"sid={value}");

    /// <summary>The value the response sets for the session cookie (null when none; "" when it expires it).</summary>
    protected static string? SessionCookie(HttpResponseMessage response) => SetCookie(response, "sid")?.Split(';')[0]["sid=".Length..];

    /// <summary>The whole Set-Cookie line for <paramref name="name"/>, or null.</summary>
    protected static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) : null;

    /// <summary>Sends raw bytes (for what HttpClient would normalise) and returns the start of the answer.</summary>
    protected async Task<string> RawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Host.Address.Host, Host.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[8192];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    /// <summary>
    /// Starts a second gateway on a store it cannot use (wrong credentials, an untrusted certificate) and checks it
    /// fails closed: not ready, 503 for a request that needs a session, alive, and nothing forwarded.
    /// </summary>
    protected async Task AssertStoreRefusedAsync(IRedisFixture redis, IDictionary<string, string?>? settings = null)
    {
        await using var host = await GatewayHost.StartAsync(Backend.Url, redis, settings);
        using var client = host.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Authorization = Basic("alice");

        var response = await client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.DoesNotContain(Backend.Received, r => r.PathAndQuery == "/x");
    }

    /// <summary>Keys of this host's sessions in Redis.</summary>
    protected List<string> SessionKeys() => RedisDeployment!.Keys(Host.KeyPrefix + "s:");

    /// <summary>The session record Redis holds under a key from <see cref="SessionKeys"/>, or null.</summary>
    private protected Gateway.Sessions.SessionRecord? StoredSession(string key) =>
        RedisDeployment!.Database.StringGet(key) is { IsNull: false } value ? Gateway.Sessions.SessionRecordCodec.Decode((byte[])value!) : null;
}
