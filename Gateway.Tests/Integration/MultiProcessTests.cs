using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Two gateways as separate processes (the shipped binary, configured by environment variables) on one
/// redis-server, each with the near cache on, as behind a load balancer: a session made on one works on the
/// other, a logout on either ends it on both within the near cache's invalidation, and cookie-less Basic clients
/// keep one session whichever instance they reach.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class MultiProcessTests(RedisServer redis) : IAsyncLifetime
{
    private readonly RecordingBackend _backend = new();
    private readonly string _users = Path.Combine(Directory.CreateTempSubdirectory("gw-users-").FullName, "users.htpasswd");
    private GatewayProcess _a = null!;
    private GatewayProcess _b = null!;
    private HttpClient _clientA = null!;
    private HttpClient _clientB = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_users, GatewayHost.Htpasswd(GatewayHost.DefaultPasswords));
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Gateway__Store__KeyPrefix"] = $"p{Guid.NewGuid():N}:"[..14],
            ["Gateway__Store__NearCache"] = "00:00:05",
            ["Gateway__Store__Timeout"] = "00:00:02",
        };
        // Both start at once: the shared secrets in Redis must come out the same for two instances racing to make them.
        var starting = new[] { GatewayProcess.StartAsync(_backend.Url, _users, environment), GatewayProcess.StartAsync(_backend.Url, _users, environment) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }
            throw;
        }
        _a = await starting[0];
        _b = await starting[1];
        _clientA = _a.CreateClient();
        _clientB = _b.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _clientA?.Dispose();
        _clientB?.Dispose();
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
        _backend.Dispose();
        Directory.Delete(Path.GetDirectoryName(_users)!, recursive: true);
    }

    [Fact]
    public async Task Session_LoginOnOneProcess_ValidOnOtherAndLogoutOnOtherEndsItOnBoth()
    {
        var login = await _clientA.PostAsync("/auth/login", new StringContent(
            """{"username":"alice","password":"alice-password","token":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;

        // Both instances now hold the session in their near caches.
        Assert.Equal(HttpStatusCode.OK, (await _clientA.SendAsync(Get("/on-a", token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _clientB.SendAsync(Get("/on-b", token))).StatusCode);
        Assert.Equal(["alice"], _backend.Last.Values("X-Auth-User"));
        Assert.Empty(_backend.Last.Values("X-Session-Token"));

        var logout = Get("/auth/logout", token);
        logout.Method = HttpMethod.Post;
        Assert.Equal(HttpStatusCode.NoContent, (await _clientB.SendAsync(logout)).StatusCode);

        // A's copy is dropped by B's invalidation message, well before the 5-second near-cache bound.
        var onA = HttpStatusCode.OK;
        await Eventually.WithinAsync(async () => (onA = (await _clientA.SendAsync(Get("/after", token))).StatusCode) != HttpStatusCode.OK,
            TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        Assert.Equal(HttpStatusCode.Unauthorized, onA);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _clientB.SendAsync(Get("/after", token))).StatusCode);
    }

    [Fact]
    public async Task Basic_CookielessClientOnBothProcesses_OneSession()
    {
        var handles = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/{i}")
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:alice-password"))) },
            };
            var response = await (i % 2 == 0 ? _clientA : _clientB).SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            handles.Add(_backend.Last.Values("X-Auth-Session").Single());
            Assert.Empty(_backend.Last.Values("Authorization"));
        }
        Assert.Single(handles);
    }

    private static HttpRequestMessage Get(string path, string token) =>
        new(HttpMethod.Get, path) { Headers = { { "X-Session-Token", token } } };
}
