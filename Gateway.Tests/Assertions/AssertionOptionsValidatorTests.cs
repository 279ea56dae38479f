using Gateway.Assertions;
using Gateway.Configuration;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Assertions;

public sealed class AssertionOptionsValidatorTests
{
    private static readonly AssertionOptionsValidator Validator = new(new TestHostEnvironment(Path.GetTempPath()));

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validator.Validate(null, new GatewayOptions()).Succeeded);
        Assert.True(Validator.Validate(null, new GatewayOptions { Assertion = { Enabled = true, Issuer = "https://gw.example.com", Lifetime = TimeSpan.FromMinutes(5) } }).Succeeded);
    }

    [Fact]
    public void Validate_EveryBadValue_AllReportedAtOnce()
    {
        var options = new GatewayOptions
        {
            Assertion =
            {
                Enabled = true,
                Lifetime = TimeSpan.FromMinutes(5).Add(TimeSpan.FromSeconds(1)),
                KeyRotation = TimeSpan.FromMinutes(4),
                Issuer = "gateway",
                KeyFile = "no-such-" + Guid.NewGuid().ToString("N") + ".pem",
            },
        };

        var result = Validator.Validate(null, options);

        Assert.Collection(result.Failures!,
            e => Assert.StartsWith("Gateway:Assertion:Lifetime must be between 00:00:01 and 00:05:00", e),
            e => Assert.StartsWith("Gateway:Assertion:KeyRotation must be at least 00:05:00", e),
            e => Assert.StartsWith("Gateway:Assertion:Issuer must be an absolute URI", e),
            e => Assert.Contains("cannot be read", e));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    [InlineData("01:00:00")]
    public void Validate_LifetimeOutOfRange_Refused(string lifetime)
    {
        var result = Validator.Validate(null, new GatewayOptions { Assertion = { Lifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture) } });

        Assert.Contains(result.Failures!, e => e.StartsWith("Gateway:Assertion:Lifetime", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_KeyFileWhileDisabled_NotRead()
    {
        Assert.True(Validator.Validate(null, new GatewayOptions { Assertion = { KeyFile = "missing.pem" } }).Succeeded);
    }

    [Fact]
    public void Validate_AssertionHeaderLikeAnother_Refused()
    {
        var result = new GatewayOptionsValidator(new TestHostEnvironment(Path.GetTempPath()))
            .Validate(null, new GatewayOptions { Headers = { Assertion = "x_auth.session" } });

        Assert.Contains(result.Failures!, e => e.StartsWith("Gateway:Headers:User, Roles, Session and Assertion must be distinct", StringComparison.Ordinal));
    }
}
