using Gateway.Http;
using Gateway.Configuration;
using Gateway.Authentication;
using Gateway.ForwardAuth;

namespace Gateway.Tests.ForwardAuth;

/// <summary><c>Gateway:ForwardAuth:AllowedHosts</c>, <c>Gateway:Session:CookieDomain</c> and the host patterns they use.</summary>
public sealed class ForwardAuthOptionsValidatorTests
{
    [Fact]
    public void Validate_GoodSettings_Succeeds()
    {
        var options = new GatewayOptions();
        options.ForwardAuth.AllowedHosts = ["app.example.com", "*.example.com", "app.example.com:8443"];
        options.Session.CookieDomain = "example.com";

        Assert.True(new ForwardAuthOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_BadSettings_ReportsEveryErrorWithItsKey()
    {
        var options = new GatewayOptions();
        options.ForwardAuth.AllowedHosts = ["https://app.example.com", "*", "app.example.com/x", "a.*.example.com", "app:99999"];
        options.Session.CookieName = "__Host-sid";
        options.Session.CookieDomain = "https://example.com";

        var result = new ForwardAuthOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(7, failures.Count);
        for (var i = 0; i < 5; i++)
        {
            Assert.Contains(failures, f => f.StartsWith($"Gateway:ForwardAuth:AllowedHosts:{i} ", StringComparison.Ordinal));
        }
        Assert.Contains(failures, f => f.Contains("is not a domain name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("__Host-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("app.example.com", "app.example.com", 443, true)]
    [InlineData("app.example.com", "APP.example.com", 8443, true)]
    [InlineData("app.example.com:8443", "app.example.com", 443, false)]
    [InlineData("*.example.com", "a.b.example.com", 443, true)]
    [InlineData("*.example.com", "example.com", 443, false)]
    [InlineData("*.example.com", "evilexample.com", 443, false)]
    [InlineData("*.example.com", "example.com.evil.test", 443, false)]
    [InlineData("*:8080", "anything.test", 8080, true)]
    public void HostPattern_Matches_AsRouteHostsDo(string pattern, string host, int port, bool expected) =>
        Assert.Equal(expected, HostPattern.Matches(pattern, host, port));

    [Theory]
    [InlineData("https://app.example.com/x?y=1", true)]
    [InlineData("http://a.example.com:8080/", true)]
    [InlineData("https://example.com/x", false)]
    [InlineData("https://user@app.example.com/x", false)]
    [InlineData("https://app.example.com\\@evil.test/x", false)]
    [InlineData("javascript://app.example.com/%0aalert(1)", false)]
    [InlineData("https://app.example.com//evil.test", false)]
    [InlineData("https://evil.test/?app.example.com", false)]
    public void ReturnUrl_AbsoluteToAllowedHostsOnly(string url, bool kept) =>
        Assert.Equal(kept ? url : "/", ReturnUrl.OrRoot(url, ["*.example.com"]));
}
