using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Fixtures;
using Gateway.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// bcrypt's 72-byte truncation: a password that only shares the first 72 bytes never logs in, on any path, and
/// the verified-credential link is keyed by the whole credential, however long the user name (the 2024 incident
/// where a cache key of user name + password lost the password past byte 72).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdversarialCredentialTests(RedisServer redis) : GatewayTestBase(redis)
{
    private static readonly string Password72 = new string('p', 70) + "é";           // 72 bytes in UTF-8
    private static readonly string LongUser = new('u', 200);
    private const string LongUserPassword = "short-secret";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var users = Host.Services.GetRequiredService<UserStore>();
        var passwords = new Dictionary<string, string>(GatewayHost.DefaultPasswords) { ["carol"] = Password72, [LongUser] = LongUserPassword };
        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(passwords));
        await Eventually.HoldsAsync(() => users.Find("carol") is not null && users.Find(LongUser) is not null, "the users reloaded");
    }

    [Theory]
    [InlineData("X")]                      // 73 bytes, same first 72
    [InlineData("é")]                      // 74 bytes, multi-byte past the edge
    [InlineData("p")]
    public async Task Login_PasswordSharingFirst72Bytes_Refused(string suffix)
    {
        var form = await PostFormAsync("/auth/login", ("username", "carol"), ("password", Password72 + suffix));
        var json = await Client.PostAsJsonAsync("/auth/login", new { username = "carol", password = Password72 + suffix });
        var basic = await GetAsync("/x", r => r.Headers.Authorization = Basic("carol", Password72 + suffix));

        Assert.Equal(HttpStatusCode.Unauthorized, form.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, json.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Empty(SessionKeys());
    }

    [Fact]
    public async Task Login_Exactly72BytePassword_Accepted()
    {
        var response = await PostFormAsync("/auth/login", ("username", "carol"), ("password", Password72));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    [Fact]
    public async Task ProxyBasic_LongUserNameAfterVerifiedLogin_WrongPasswordNeverRidesTheLink()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic(LongUser, LongUserPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic(LongUser, LongUserPassword))).StatusCode);

        var wrong = await GetAsync("/x", r => r.Headers.Authorization = Basic(LongUser, "short-secreX"));
        var prefix = await GetAsync("/x", r => r.Headers.Authorization = Basic(LongUser, "short"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, prefix.StatusCode);
        Assert.Equal(2, Backend.Received.Count);
    }
}
