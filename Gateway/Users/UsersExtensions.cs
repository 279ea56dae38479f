namespace Gateway.Users;

/// <summary>Registration of the users file and password verification.</summary>
internal static class UsersExtensions
{
    /// <summary>The users file (<c>Gateway:Users:File</c>, reloaded on change) and the bounded bcrypt verifier.</summary>
    public static WebApplicationBuilder AddGatewayUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<PasswordVerifier>();
        return builder;
    }
}
