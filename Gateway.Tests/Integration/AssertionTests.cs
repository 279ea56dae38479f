using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Stores;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Integration;

/// <summary>
/// With Gateway:Assertion:Enabled, a backend receives one signed X-Auth-Assertion with every request that carries an
/// identity, verifiable against the gateway's JWKS, with exactly the documented claims; never one a client sent, and
/// none on anonymous requests. Run against Redis, PostgreSQL and the in-memory store here, SQLite in Stores/Sqlite/SqliteSuites.cs.
/// </summary>
public abstract class AssertionTests(IStoreFixture? store) : GatewayTestBase(store)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Assertion:Enabled"] = "true" };

    public static TheoryData<string> Spellings => new() { "X-Auth-Assertion", "x-auth-assertion", "X_Auth_Assertion", "X.Auth.Assertion", "x.auth_ASSERTION" };

    [Fact]
    public async Task Proxy_SignedIn_AssertionVerifiesAgainstJwks()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/x", WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await AssertionCheck.ValidateAsync(AssertionCheck.Single(Backend.Last), await AssertionCheck.FetchJwksAsync(Client),
            AssertionCheck.Origin(Host), "backend", Host.Clock);
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Proxy_SignedIn_ClaimsExact()
    {
        var sid = await LoginAsync("bob");
        var now = Host.Clock.GetUtcNow().ToUnixTimeSeconds();

        await GetAsync("/x", WithCookie(sid));

        var token = AssertionCheck.Single(Backend.Last);
        var header = new JsonWebToken(token);
        Assert.Equal("ES256", header.Alg);
        Assert.Contains(header.Kid, (await AssertionCheck.FetchJwksAsync(Client)).Keys.Select(k => k.Kid));
        var payload = AssertionCheck.Payload(token);
        Assert.Equal(["aud", "exp", "iat", "iss", "jti", "nbf", "roles", "sid", "sub"], payload.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(AssertionCheck.Origin(Host), payload.GetProperty("iss").GetString());
        Assert.Equal("backend", payload.GetProperty("aud").GetString());
        Assert.Equal("bob", payload.GetProperty("sub").GetString());
        Assert.Equal(["user", "admin"], payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var handle = Assert.Single(Backend.Last.Values("X-Auth-Session"));
        Assert.Equal(handle, payload.GetProperty("sid").GetString());
        Assert.DoesNotContain(sid, token);
        Assert.Equal(now, payload.GetProperty("iat").GetInt64());
        Assert.Equal(now, payload.GetProperty("nbf").GetInt64());
        Assert.Equal(now + 300, payload.GetProperty("exp").GetInt64());
        Assert.Equal(16, Base64UrlEncoder.DecodeBytes(payload.GetProperty("jti").GetString()).Length);
    }

    [Fact]
    public async Task Proxy_OneRole_RolesStillAnArray()
    {
        await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));

        var roles = AssertionCheck.Payload(AssertionCheck.Single(Backend.Last)).GetProperty("roles");
        Assert.Equal(JsonValueKind.Array, roles.ValueKind);
        Assert.Equal(["user"], roles.EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Proxy_ForgedAssertionAnySpelling_ReplacedByGatewayOne(string spelling)
    {
        var sid = await LoginAsync("alice");
        var forged = AssertionCheck.ForgedToken();

        await GetAsync("/x", r =>
        {
            WithCookie(sid)(r);
            r.Headers.TryAddWithoutValidation(spelling, forged);
            r.Headers.TryAddWithoutValidation(spelling, "second");
        });

        var token = AssertionCheck.Single(Backend.Last);
        Assert.NotEqual(forged, token);
        Assert.True((await AssertionCheck.ValidateAsync(token, await AssertionCheck.FetchJwksAsync(Client), AssertionCheck.Origin(Host), "backend")).IsValid);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Proxy_AnonymousWithForgedAssertion_NoneForwarded(string spelling)
    {
        var response = await GetAsync("/public/x", r => r.Headers.TryAddWithoutValidation(spelling, AssertionCheck.ForgedToken()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Backend.Last.Variants(AssertionCheck.Header));
        Assert.Empty(Backend.Last.Variants("X-Auth-User"));
    }

    [Fact]
    public async Task Proxy_SignedInOnPublicRoute_AssertionWithIdentity()
    {
        var sid = await LoginAsync("alice");

        await GetAsync("/public/x", WithCookie(sid));

        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Equal("alice", AssertionCheck.Payload(AssertionCheck.Single(Backend.Last)).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Proxy_SameSession_TokenReusedUntilHalfLifetime()
    {
        var sid = await LoginAsync("alice");
        await GetAsync("/x", WithCookie(sid));
        var first = AssertionCheck.Single(Backend.Last);

        Host.Clock.Advance(TimeSpan.FromSeconds(149));
        await GetAsync("/y", WithCookie(sid));
        var reused = AssertionCheck.Single(Backend.Last);
        Host.Clock.Advance(TimeSpan.FromSeconds(2));
        await GetAsync("/z", WithCookie(sid));
        var renewed = AssertionCheck.Single(Backend.Last);

        Assert.Equal(first, reused);
        Assert.NotEqual(first, renewed);
        Assert.NotEqual(AssertionCheck.Payload(first).GetProperty("jti").GetString(), AssertionCheck.Payload(renewed).GetProperty("jti").GetString());
        Assert.Equal(AssertionCheck.Payload(first).GetProperty("iat").GetInt64() + 151, AssertionCheck.Payload(renewed).GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Proxy_TokenPastExp_RefusedAsExpired()
    {
        var sid = await LoginAsync("alice");
        await GetAsync("/x", WithCookie(sid));
        var token = AssertionCheck.Single(Backend.Last);
        var keys = await AssertionCheck.FetchJwksAsync(Client);

        Host.Clock.Advance(TimeSpan.FromSeconds(299));
        var stillValid = await AssertionCheck.ValidateAsync(token, keys, AssertionCheck.Origin(Host), "backend", Host.Clock);
        Host.Clock.Advance(TimeSpan.FromSeconds(2));
        var expired = await AssertionCheck.ValidateAsync(token, keys, AssertionCheck.Origin(Host), "backend", Host.Clock);

        Assert.True(stillValid.IsValid, stillValid.Exception?.Message);
        Assert.IsType<SecurityTokenInvalidLifetimeException>(expired.Exception);
    }

    [Fact]
    public async Task Jwks_Anonymous_PublicKeysOnlyAndCacheable()
    {
        var response = await Client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var keys = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(3, keys.Count); // current, next, retired
        Assert.All(keys, key =>
        {
            Assert.Equal(["alg", "crv", "kid", "kty", "use", "x", "y"], key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.Equal("ES256", key.GetProperty("alg").GetString());
        });
        Assert.Equal(3, keys.Select(k => k.GetProperty("kid").GetString()).Distinct().Count());
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Proxy_RouteAudienceMetadata_IsTheAud()
    {
        var sid = await LoginAsync("alice");
        var routes = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Host.RoutesPath))!;
        routes["ReverseProxy"]!["Routes"]!["default"]!["Metadata"] = new System.Text.Json.Nodes.JsonObject { ["Gateway.Audience"] = "orders-api" };
        await File.WriteAllTextAsync(Host.RoutesPath, routes.ToJsonString());

        await Eventually.ValueAsync(async () =>
        {
            await GetAsync("/session-only/x", WithCookie(sid));
            return AssertionCheck.Payload(AssertionCheck.Single(Backend.Last)).GetProperty("aud").GetString();
        }, audience => audience == "orders-api", "the route's new audience in the assertion");
        await GetAsync("/other", WithCookie(sid));
        Assert.Equal("backend", AssertionCheck.Payload(AssertionCheck.Single(Backend.Last)).GetProperty("aud").GetString());
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisAssertionTests(RedisServer redis) : AssertionTests(redis);

public sealed class InMemoryAssertionTests() : AssertionTests(null);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAssertionTests(PostgresServer postgres) : AssertionTests(postgres);
