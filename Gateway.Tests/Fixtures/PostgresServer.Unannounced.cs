namespace Gateway.Tests.Fixtures;

/// <summary>The store edited behind the gateways' backs (<see cref="IStoreFixture"/>): plain SQL, no NOTIFY.</summary>
public sealed partial class PostgresServer
{
    public async ValueTask<int> DeleteSessionsUnannouncedAsync(string isolationKey) =>
        await ExecuteAsync($"DELETE FROM \"{SchemaOf(isolationKey)}\".login_session");

    public async ValueTask<int> DeleteCredentialLinksUnannouncedAsync(string isolationKey) =>
        await ExecuteAsync($"DELETE FROM \"{SchemaOf(isolationKey)}\".credential_link");

    public async ValueTask<int> CountSessionsAsync(string isolationKey)
    {
        await using var command = Admin.CreateCommand($"SELECT count(*)::int FROM \"{SchemaOf(isolationKey)}\".login_session");
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask BanUnannouncedAsync(string isolationKey, string subjectId, string user, string ip, DateTimeOffset until, TimeSpan lasting, int failures)
    {
        await using var command = Admin.CreateCommand(
            $"INSERT INTO \"{SchemaOf(isolationKey)}\".throttle_ban (subject_id, kind, username, ip, banned_until, failures, expires_at) " +
            "VALUES ($1, 'login', $2, $3, $4, $5, $6) ON CONFLICT (subject_id) DO UPDATE SET banned_until = excluded.banned_until, " +
            "failures = excluded.failures, expires_at = excluded.expires_at");
        command.Parameters.Add(new() { Value = subjectId });
        command.Parameters.Add(new() { Value = user });
        command.Parameters.Add(new() { Value = ip });
        command.Parameters.Add(new() { Value = until.UtcDateTime });
        command.Parameters.Add(new() { Value = failures });
        command.Parameters.Add(new() { Value = until.UtcDateTime + lasting });
        await command.ExecuteNonQueryAsync();
    }

    // The gateway names its connections (its pool "gateway", its LISTEN connection "gateway-listener"): the fixture's own stay.
    public async ValueTask DropGatewayConnectionsAsync() =>
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ('gateway', 'gateway-listener')");

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var command = Admin.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync();
    }
}
