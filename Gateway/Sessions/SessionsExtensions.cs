namespace Gateway.Sessions;

/// <summary>Registration of the session rules around the store (the store itself is chosen with the other stores).</summary>
internal static class SessionsExtensions
{
    /// <summary>Session service, cookies, the id codec's key cache, remember-me, the audit trail, the users-file revoker and the active-sessions gauge.</summary>
    public static WebApplicationBuilder AddGatewaySessions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<SessionService>();
        services.AddSingleton<SessionCookies>();
        services.AddSingleton<SessionKeyCache>();
        services.AddSingleton<RememberMeService>();
        services.AddSingleton<AuditTrail>();
        services.AddHostedService<UserChangeRevoker>();
        services.AddSingleton<ActiveSessionsMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ActiveSessionsMonitor>());
        return builder;
    }
}
