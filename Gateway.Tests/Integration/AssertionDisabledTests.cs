using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Assertions are off by default: none is sent, a client's copy is still stripped, and there is no key set. A key file
/// named while they are off is not read (this gateway names one that does not exist, and starts).
/// </summary>
public sealed class AssertionDisabledTests() : GatewayTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Assertion:KeyFile"] = "missing.pem" };

    [Fact]
    public async Task Proxy_Disabled_NoAssertionAndForgedOneStripped()
    {
        var response = await GetAsync("/x", r =>
        {
            r.Headers.Authorization = Basic("alice");
            r.Headers.TryAddWithoutValidation("X_Auth_Assertion", AssertionCheck.ForgedToken());
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Empty(Backend.Last.Variants("X-Auth-Assertion"));
    }

    [Fact]
    public async Task Jwks_Disabled_NotFoundAndNotForwarded()
    {
        var response = await Client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(Backend.Received);
    }
}
