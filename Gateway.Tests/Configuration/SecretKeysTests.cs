using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>Error messages show secrets as ***: connection strings and password, secret, token or key values.</summary>
public sealed class SecretKeysTests
{
    [Theory]
    [InlineData("ConnectionStrings:Redis", true)]
    [InlineData("ConnectionStrings:Postgres", true)]
    [InlineData("Kestrel:Certificates:Default:Password", true)]
    [InlineData("Gateway:Assertion:ClientSecret", true)]
    [InlineData("Gateway:Api:ApiKey", true)]
    [InlineData("Gateway:Store:KeyPrefix", false)]
    [InlineData("Gateway:Store:TlsClientKeyFile", false)]
    [InlineData("Gateway:Session:IdleTimeout", false)]
    public void IsSecret_Key_Expected(string key, bool secret) => Assert.Equal(secret, SecretKeys.IsSecret(key));

    [Fact]
    public void Write_ErrorQuotingASecret_SecretMasked()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "redis:6379,password=hunter2hunter2",
            ["Kestrel:Certificates:Default:Password"] = "pfx-pass-123",
        }).Build();
        using var error = new StringWriter();

        StartupErrors.Write(error, new StartupProblem(["ConnectionStrings:Redis 'redis:6379,password=hunter2hunter2' is not valid.", "bad pfx-pass-123\nsecond line"]), configuration);

        var text = error.ToString();
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("pfx-pass-123", text);
        Assert.Equal(["Configuration is invalid (2 errors):", "  ConnectionStrings:Redis '***' is not valid.", "  bad *** second line"], text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
