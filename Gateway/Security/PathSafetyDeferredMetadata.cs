namespace Gateway.Security;

/// <summary>
/// Endpoint metadata: the endpoint judges encoded slashes in its path itself, because that path names another
/// request (forward auth's <c>&lt;prefix&gt;/verify/&lt;original path&gt;</c>, judged against the original's route).
/// </summary>
internal sealed class PathSafetyDeferredMetadata
{
    public static PathSafetyDeferredMetadata Instance { get; } = new();
}
