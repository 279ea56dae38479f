using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>Helpers for remember-me tests: log in with "remember me", find a session's handle.</summary>
public abstract class RememberMeTestBase(IStoreFixture? store) : GatewayTestBase(store)
{
    /// <summary>Logs alice in with "remember me"; returns the session cookie value and the <c>sid-remember=...</c> pair.</summary>
    protected async Task<(string Sid, string Token)> LoginRememberedAsync()
    {
        var login = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"), ("remember", "on"));
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        return (SessionCookie(login)!, SetCookie(login, "sid-remember")!.Split(';')[0]);
    }

    protected async Task<string> HandleOfAsync(string sid) =>
        System.Text.Json.JsonDocument.Parse(await (await GetAsync("/auth/session", WithCookie(sid))).Content.ReadAsStringAsync())
            .RootElement.GetProperty("handle").GetString()!;
}
