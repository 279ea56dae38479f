using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.ForwardAuth;

/// <summary>
/// With <c>Gateway:Assertion:Enabled</c>, an allowed forward-auth answer carries the signed assertion for the matched
/// route's audience (issue 16), verifiable against the gateway's JWKS; a refused one carries none.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ForwardAuthAssertionTests(RedisServer redis) : GatewayTestBase(redis)
{
    private const string Issuer = "https://gw.example.com";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:TrustedProxies:0"] = "127.0.0.1",
        ["Gateway:Assertion:Enabled"] = "true",
        ["Gateway:Assertion:Issuer"] = Issuer,
    };

    [Fact]
    public async Task Verify_SignedIn_AllowedAnswerCarriesAssertionForTheRoutesAudience()
    {
        var sid = await LoginAsync("alice");

        var response = await VerifyAsync("/app/x", sid);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = Assert.Single(response.Headers.GetValues("X-Auth-Assertion"));
        var result = await AssertionCheck.ValidateAsync(token, await AssertionCheck.FetchJwksAsync(Client), Issuer, "backend");
        Assert.True(result.IsValid, result.Exception?.Message);
        var claims = AssertionCheck.Payload(token);
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal(response.Headers.GetValues("X-Auth-Session").Single(), claims.GetProperty("sid").GetString());
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Verify_NotSignedIn_NoAssertion()
    {
        var response = await VerifyAsync("/app/x", sid: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Auth-Assertion"));
    }

    private Task<HttpResponseMessage> VerifyAsync(string uri, string? sid) =>
        SendAsync(HttpMethod.Get, "/auth/verify", r =>
        {
            r.Headers.TryAddWithoutValidation("X-Forwarded-Method", "GET");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Host", "app.example.com");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Uri", uri);
            r.Headers.Add("Accept", "application/json");
            if (sid is not null)
            {
                r.Headers.Add("Cookie", $"sid={sid}");
            }
        });
}
