namespace Gateway.Sessions;

/// <summary>A login refused because the user already holds <c>Gateway:Session:MaxPerUser</c> sessions (OnLimit=Reject).</summary>
internal sealed class SessionLimitException() : Exception("The user already holds the maximum number of sessions.");
