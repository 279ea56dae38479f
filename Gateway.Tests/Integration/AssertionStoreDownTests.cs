using System.Net;
using Gateway.Assertions;
using Gateway.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>Keys that cannot be read (the store down on the first read of its secret) fail closed: 503, nothing forwarded without its assertion.</summary>
public sealed class AssertionStoreDownTests() : GatewayTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Assertion:Enabled"] = "true" };

    protected override void ConfigureHost(WebApplicationBuilder builder) => builder.Services.AddSingleton<IAssertionKeys, UnavailableKeys>();

    [Fact]
    public async Task Proxy_KeysUnavailable_503NotForwarded()
    {
        var response = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("store_unavailable", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(Backend.Received, r => r.PathAndQuery == "/x");
    }

    [Fact]
    public async Task Proxy_KeysUnavailableOnAnonymousRoute_StillForwarded()
    {
        var response = await GetAsync("/public/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Backend.Last.Variants("X-Auth-Assertion"));
    }

    [Fact]
    public async Task Jwks_KeysUnavailable_503()
    {
        var response = await Client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private sealed class UnavailableKeys : IAssertionKeys
    {
        public ValueTask<AssertionKeyRing> GetAsync(CancellationToken cancellationToken) =>
            throw new SessionStoreUnavailableException("test: store down", timedOut: true);
    }
}
