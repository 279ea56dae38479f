using Gateway.Configuration;
using Gateway.Security;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Security;

public sealed class OriginRuleTests
{
    private static readonly CsrfOptions Options = new() { AllowedOrigins = ["https://app.example.com"] };

    [Theory]
    [InlineData(null, null, null, true)]                                        // not a browser page
    [InlineData("same-origin", null, null, true)]
    [InlineData("none", null, null, true)]                                      // typed or bookmarked
    [InlineData("cross-site", "https://evil.example", null, false)]
    [InlineData("cross-site", "https://app.example.com", null, true)]           // listed origin
    [InlineData("same-site", "https://blog.gw.example", null, false)]           // RejectSameSite default
    [InlineData("CROSS-SITE", "https://gw.example", null, true)]                // own origin, case-insensitive value
    [InlineData("weird", null, null, false)]
    [InlineData(null, "https://gw.example", null, true)]
    [InlineData(null, "https://GW.example:443", null, true)]                    // default port, case
    [InlineData(null, "http://gw.example", null, false)]                        // other scheme
    [InlineData(null, "https://gw.example:8443", null, false)]                  // other port
    [InlineData(null, "null", null, false)]                                     // sandboxed or privacy-redirected
    [InlineData(null, "https://gw.example.evil.example", null, false)]
    [InlineData(null, null, "https://gw.example/page?x=1", true)]
    [InlineData(null, null, "https://evil.example/https://gw.example/", false)]
    [InlineData(null, null, "not a url", false)]
    public void Refusal_HeaderCombination_AllowsOnlySameOrListedOrigins(string? site, string? origin, string? referer, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("gw.example");
        if (site is not null)
        {
            context.Request.Headers["Sec-Fetch-Site"] = site;
        }
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }
        if (referer is not null)
        {
            context.Request.Headers.Referer = referer;
        }

        Assert.Equal(allowed, OriginRule.Refusal(context.Request, Options) is null);
    }

    [Fact]
    public void Refusal_SameSiteWhenAllowedByConfiguration_Passes()
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString("gw.example");
        context.Request.Headers["Sec-Fetch-Site"] = "same-site";

        Assert.Null(OriginRule.Refusal(context.Request, new CsrfOptions { RejectSameSite = false }));
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com/", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("https://app.example.com/path", false)]
    [InlineData("app.example.com", false)]
    [InlineData("ftp://app.example.com", false)]
    [InlineData("https://user@app.example.com", false)]
    [InlineData("null", false)]
    public void TryNormalize_ConfiguredOrigin_AcceptsOnlyBareOrigins(string text, bool valid) =>
        Assert.Equal(valid, OriginRule.TryNormalize(text, out _));
}
