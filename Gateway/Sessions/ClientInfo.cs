namespace Gateway.Sessions;

/// <summary>Who is logging in, captured from the request up front (the request may be gone when a shared login completes).</summary>
internal readonly record struct ClientInfo(string Ip, string UserAgent)
{
    private const int MaxUserAgentLength = 256;

    public static ClientInfo From(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        return new ClientInfo(context.Connection.RemoteIpAddress?.ToString() ?? "",
            agent.Length > MaxUserAgentLength ? agent[..MaxUserAgentLength] : agent);
    }
}
