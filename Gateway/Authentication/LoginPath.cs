namespace Gateway.Authentication;

/// <summary>URLs of the login page.</summary>
internal static class LoginPath
{
    public static string For(string prefix, string returnUrl) =>
        returnUrl == "/" ? prefix + "/login" : prefix + "/login?returnUrl=" + Uri.EscapeDataString(returnUrl);
}
