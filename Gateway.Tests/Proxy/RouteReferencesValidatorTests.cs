using Gateway.Configuration;
using Gateway.Proxy;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Proxy;

public sealed class RouteReferencesValidatorTests
{
    private static readonly Dictionary<string, string?> Good = new()
    {
        ["ReverseProxy:Clusters:backend:Destinations:one:Address"] = "http://127.0.0.1:9/",
        ["ReverseProxy:Clusters:backend:HttpRequest:ActivityTimeout"] = "00:02:00",
        ["ReverseProxy:Routes:app:ClusterId"] = "backend",
        ["ReverseProxy:Routes:app:Match:Path"] = "{**catch-all}",
        ["ReverseProxy:Routes:open:ClusterId"] = "Backend",
        ["ReverseProxy:Routes:open:AuthorizationPolicy"] = "Anonymous",
        ["ReverseProxy:Routes:ops:ClusterId"] = "backend",
        ["ReverseProxy:Routes:ops:AuthorizationPolicy"] = "ADMINS",
        ["ReverseProxy:Routes:ops:Timeout"] = "00:00:30",
        ["ReverseProxy:Routes:any:ClusterId"] = "backend",
        ["ReverseProxy:Routes:any:AuthorizationPolicy"] = "default",
        ["ReverseProxy:Routes:any:Metadata:Gateway.Challenge"] = "basic",
        ["ReverseProxy:Routes:any:Metadata:Gateway.SharedCache"] = "Allow",
        ["ReverseProxy:Routes:any:Metadata:Gateway.EncodedSlashes"] = "Allow",
    };

    public static TheoryData<string, string, string?> BadRoutes => new()
    {
        { "ReverseProxy:Routes:app:AuthorizationPolicy", "ReverseProxy:Routes:app:AuthorizationPolicy", "no-such-policy" },
        { "ReverseProxy:Routes:app:ClusterId", "ReverseProxy:Routes:app:ClusterId", "nope" },
        { "ReverseProxy:Routes:app:ClusterId", "ReverseProxy:Routes:app:ClusterId", "" },
        { "ReverseProxy:Routes:app:Timeout", "ReverseProxy:Routes:app:Timeout", "-00:00:01" },
        { "ReverseProxy:Routes:app:Timeout", "ReverseProxy:Routes:app:Timeout", "00:00:00" },
        { "ReverseProxy:Routes:app:Timeout", "ReverseProxy:Routes:app:Timeout", "soon" },
        { "ReverseProxy:Clusters:backend:HttpRequest:ActivityTimeout", "ReverseProxy:Clusters:backend:HttpRequest:ActivityTimeout", "0" },
        { "ReverseProxy:Routes:app:Metadata:Gateway.Challenge", "ReverseProxy:Routes:app:Metadata:Gateway.Challenge", "prompt" },
        { "ReverseProxy:Routes:app:Metadata:Gateway.Challenge", "ReverseProxy:Routes:app:Metadata:Gateway.Challenge", "1" },
        { "ReverseProxy:Routes:app:Metadata:Gateway.SharedCache", "ReverseProxy:Routes:app:Metadata:Gateway.SharedCache", "yes" },
        { "ReverseProxy:Routes:app:Metadata:Gateway.SharedCache", "ReverseProxy:Routes:app:Metadata:Gateway.SharedCache", "" },
        { "ReverseProxy:Routes:app:Metadata:Gateway.EncodedSlashes", "ReverseProxy:Routes:app:Metadata:Gateway.EncodedSlashes", "yes" },
        { "ReverseProxy:Routes:app:Metadata:Gateway.EncodedSlashes", "ReverseProxy:Routes:app:Metadata:Gateway.EncodedSlashes", "" },
    };

    [Fact]
    public void Validate_GoodRoutes_Succeeds()
    {
        var result = Validator(Good).Validate(null, Options());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [MemberData(nameof(BadRoutes))]
    public void Validate_BadRoute_FailsNamingTheKey(string key, string expected, string? value)
    {
        var config = new Dictionary<string, string?>(Good) { [key] = value };

        var result = Validator(config).Validate(null, Options());

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void Validate_SeveralBadRoutes_ReportsEveryOne()
    {
        var config = new Dictionary<string, string?>(Good)
        {
            ["ReverseProxy:Routes:app:AuthorizationPolicy"] = "x",
            ["ReverseProxy:Routes:open:ClusterId"] = "y",
            ["ReverseProxy:Routes:ops:Timeout"] = "z",
        };

        var result = Validator(config).Validate(null, Options());

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void Validate_RoutesChangedAfterFirstCheck_KeepsStartResult()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Good).Build();
        var validator = new RouteReferencesValidator(config);
        Assert.True(validator.Validate(null, Options()).Succeeded);

        config["ReverseProxy:Routes:app:AuthorizationPolicy"] = "no-such-policy";

        Assert.True(validator.Validate(null, Options()).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void ValidateMetrics_PortOutOfRange_Fails(int port)
    {
        var options = Options();
        options.Metrics.Port = port;

        var result = new MetricsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Metrics:Port", result.FailureMessage);
    }

    [Fact]
    public void ValidateMetrics_PortSet_Succeeds()
    {
        var options = Options();
        options.Metrics.Port = 9090;

        Assert.True(new MetricsOptionsValidator().Validate(null, options).Succeeded);
    }

    private static RouteReferencesValidator Validator(Dictionary<string, string?> values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    private static GatewayOptions Options() => new() { Policies = new(StringComparer.OrdinalIgnoreCase) { ["admins"] = new PolicyOptions { Roles = ["admin"] } } };
}
