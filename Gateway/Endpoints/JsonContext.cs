using System.Text.Json.Serialization;

namespace Gateway.Endpoints;

/// <summary>Source-generated JSON for every body the gateway reads or writes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(ReadinessBody))]
[JsonSerializable(typeof(SessionListItem[]))]
[JsonSerializable(typeof(AuditItem[]))]
[JsonSerializable(typeof(RevokedBody))]
internal sealed partial class JsonContext : JsonSerializerContext;

/// <summary>JSON login body.</summary>
internal sealed record LoginRequest(string? Username, string? Password, bool Remember = false, bool Token = false);

/// <summary>What the gateway tells a caller about its own session.</summary>
/// <remarks><see cref="Token"/> (the session id, for <c>X-Session-Token</c>) only on a JSON login that asked for it.</remarks>
internal sealed record SessionInfo(string User, string[] Roles, string Handle, DateTimeOffset Created, DateTimeOffset LastSeen, DateTimeOffset Expires, DateTimeOffset IdleExpires, string? Token = null);

/// <summary>One entry of a session list.</summary>
internal sealed record SessionListItem(string Handle, DateTimeOffset Created, DateTimeOffset LastSeen, DateTimeOffset Expires, string Ip, string UserAgent, string Method, bool Current);

/// <summary>One audit entry for admins.</summary>
internal sealed record AuditItem(DateTimeOffset Time, string Kind, string User, string? Session, string? Detail, string? By, string? Ip);

/// <summary>How many sessions a revocation ended.</summary>
internal sealed record RevokedBody(int Revoked);

/// <summary>Readiness answer.</summary>
internal sealed record ReadinessBody(string Status, string Store, string? Detail);
