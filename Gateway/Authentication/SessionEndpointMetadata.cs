namespace Gateway.Authentication;

/// <summary>
/// Marks gateway endpoints where the Session scheme must not verify Basic credentials and create a session
/// on its own (login does that itself, logout must not create what it is about to end).
/// </summary>
internal sealed class SessionEndpointMetadata
{
    public static SessionEndpointMetadata ResolveOnly { get; } = new();
}
