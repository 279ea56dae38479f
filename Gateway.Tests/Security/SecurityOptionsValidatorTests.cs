using Gateway.Configuration;
using Gateway.Security;

namespace Gateway.Tests.Security;

public sealed class SecurityOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new SecurityOptionsValidator().Validate(null, new GatewayOptions()).Succeeded);

    [Fact]
    public void Validate_EveryBadKey_AllReportedAtOnceWithTheirKeys()
    {
        var options = new GatewayOptions();
        options.Login.MaxFailures = -1;
        options.Login.MaxFailuresPerIp = -2;
        options.Login.FailureWindow = TimeSpan.Zero;
        options.Login.BanTime = TimeSpan.FromSeconds(-1);
        options.Login.LockoutScope = (LockoutScope)7;
        options.TrustedProxies = ["10.0.0.1", "10.0.0.0/33", "proxy.internal"];
        options.Csrf.AllowedOrigins = ["https://app.example.com", "https://app.example.com/path"];
        options.Limits.MaxHeaderCount = 5;
        options.Limits.MaxHeaderBytes = 100;
        options.Limits.MaxCookies = 0;
        options.Limits.MaxBodyBytes = 10;
        options.Guessing.MaxUnknownIds = -1;
        options.Guessing.Window = TimeSpan.Zero;
        options.Guessing.BanTime = TimeSpan.Zero;
        options.Admin.Role = " ";

        var failures = new SecurityOptionsValidator().Validate(null, options).Failures!.ToList();

        string[] keys =
        [
            "Gateway:Login:MaxFailures ", "Gateway:Login:MaxFailuresPerIp", "Gateway:Login:FailureWindow", "Gateway:Login:BanTime",
            "Gateway:Login:LockoutScope", "Gateway:TrustedProxies:1 ", "Gateway:TrustedProxies:2 ", "Gateway:Csrf:AllowedOrigins:1 ",
            "Gateway:Limits:MaxHeaderCount", "Gateway:Limits:MaxHeaderBytes", "Gateway:Limits:MaxCookies", "Gateway:Limits:MaxBodyBytes",
            "Gateway:Guessing:MaxUnknownIds", "Gateway:Guessing:Window", "Gateway:Guessing:BanTime", "Gateway:Admin:Role",
        ];
        Assert.Equal(keys.Length, failures.Count);
        Assert.All(keys, key => Assert.Single(failures, f => f.StartsWith(key, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("192.168.1.10", true)]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("::1", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("10.0.0.1/8", false)]   // host bits set: a typo, not a range
    [InlineData("", false)]
    [InlineData("localhost", false)]
    public void TrustedProxiesTryParse_Entry_AcceptsAddressesAndRanges(string entry, bool valid) =>
        Assert.Equal(valid, TrustedProxies.TryParse(entry, out _));

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void ClientAddressSubject_Address_GroupsIpv6ByPrefix(string ip, string subject) =>
        Assert.Equal(subject, ClientAddress.Subject(ip));
}
