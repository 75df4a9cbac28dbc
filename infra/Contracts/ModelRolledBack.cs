namespace Pipeline.Infra.Contracts;

/// <summary>A registry alias was moved back to an earlier model version.</summary>
/// <param name="Model">Registered model name.</param>
/// <param name="Version">The version the alias points at now (the earlier one).</param>
/// <param name="FromAlias">The alias that was rolled back, e.g. <c>production</c>.</param>
/// <param name="ToAlias">Where the withdrawn version went, e.g. <c>archived</c>, or null.</param>
/// <param name="Reason">Why, for the audit trail (an incident, a failed canary).</param>
/// <param name="RolledBackAt">When the alias moved.</param>
public sealed record ModelRolledBack(
    string Model,
    string Version,
    string FromAlias,
    string? ToAlias,
    string Reason,
    DateTimeOffset RolledBackAt);
