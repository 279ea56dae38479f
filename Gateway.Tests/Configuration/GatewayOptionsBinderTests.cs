using Gateway.Configuration;
using Gateway.Security;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class GatewayOptionsBinderTests
{
    private static (GatewayOptions Options, IReadOnlyList<string> Errors) Bind(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var options = new GatewayOptions();
        GatewayOptionsBinder.Bind(configuration.GetSection(GatewayOptions.Section), options);
        return (options, GatewayOptionsBinder.ErrorsOf(options));
    }

    [Fact]
    public void Bind_ConvertibleValues_BoundWithoutErrors()
    {
        var (options, errors) = Bind(
            ("Gateway:Session:IdleTimeout", "00:10:00"), ("Gateway:Session:RenewalInterval", ""), ("Gateway:Login:LockoutScope", "user"),
            ("Gateway:Metrics:Port", "9100"), ("Gateway:Users:Roles:alice:0", "admin"), ("Gateway:Policies:ops:Roles:0", "ops"),
            ("Gateway:TrustedProxies:0", "10.0.0.0/8"));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Session.IdleTimeout);
        Assert.Null(options.Session.RenewalInterval);
        Assert.Equal(LockoutScope.User, options.Login.LockoutScope);
        Assert.Equal(9100, options.Metrics.Port);
        Assert.Equal(["admin"], options.Users.Roles["alice"]);
        Assert.Equal(["ops"], options.Policies["ops"].Roles);
        Assert.Equal(["10.0.0.0/8"], options.TrustedProxies);
    }

    [Fact]
    public void Bind_SeveralUnconvertibleValues_EveryOneReportedWithItsKeyAndTheRestBound()
    {
        var (options, errors) = Bind(
            ("Gateway:Session:IdleTimeout", "soon"), ("Gateway:Session:MaxPerUser", "many"), ("Gateway:Session:SecureCookie", "yes"),
            ("Gateway:Login:LockoutScope", "Sometimes"), ("Gateway:Metrics:Port", "nine"), ("Gateway:Session:AbsoluteTimeout", "01:00:00"));

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Gateway:Session:IdleTimeout 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gateway:Session:MaxPerUser 'many' is not a whole number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gateway:Session:SecureCookie 'yes' is not true or false", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gateway:Login:LockoutScope 'Sometimes' is not one of UserAndIp, User", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Gateway:Metrics:Port 'nine'", StringComparison.Ordinal));
        Assert.Equal(new SessionOptions().IdleTimeout, options.Session.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(1), options.Session.AbsoluteTimeout);
    }

    [Fact]
    public void Validate_UnconvertibleValue_ReportedBesideTheValidatorsOwnErrors()
    {
        var (options, _) = Bind(("Gateway:Session:IdleTimeout", "soon"), ("Gateway:Store:Timeout", "00:05:00"));

        var result = new GatewayOptionsValidator(new Fixtures.TestHostEnvironment(Path.GetTempPath())).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Gateway:Session:IdleTimeout", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Gateway:Store:Timeout", StringComparison.Ordinal));
    }
}
