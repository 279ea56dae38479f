using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Telemetry;

/// <summary>Every log entry, at every level and from every component, is free of session ids and passwords.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class LogSafetyTests(RedisServer redis) : TelemetryTestBase(redis)
{
    [Fact]
    public async Task Logs_ScriptedLoginLogoutFailureSequence_NeverContainIdOrPassword()
    {
        const string wrong = "Wr0ng-Pa55word-xyzzy";
        var secrets = new List<string> { GatewayHost.DefaultPasswords["alice"], GatewayHost.DefaultPasswords["bob"], wrong };

        var formSid = await LoginAsync("alice");
        var json = await Client.PostAsJsonAsync("/auth/login", new { username = "bob", password = GatewayHost.DefaultPasswords["bob"] });
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var jsonSid = SessionCookie(json)!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("/auth/login", new { username = "bob", password = wrong })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostFormAsync("/auth/login", ("username", "nobody"), ("password", wrong), ("returnUrl", "/"))).StatusCode);
        var basic = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));
        var basicSid = SessionCookie(basic)!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", wrong))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Add("X-Session-Token", jsonSid))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(formSid))).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/logout", formSid)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(formSid))).StatusCode);

        secrets.AddRange([formSid, jsonSid, basicSid]);
        secrets.AddRange(new[] { "alice:" + GatewayHost.DefaultPasswords["alice"], "alice:" + wrong }.Select(c => Convert.ToBase64String(Encoding.UTF8.GetBytes(c))));
        var text = Logs.AllText().ToList();

        Assert.True(text.Count > 20, $"expected a trace-level log of the sequence, got {text.Count} entries");
        Assert.Contains(text, t => t.Contains("1700:Audit", StringComparison.Ordinal) && t.Contains("created", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(text, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }
}
