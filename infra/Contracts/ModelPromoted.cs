namespace Pipeline.Infra.Contracts;

/// <summary>A registry alias (e.g. <c>production</c>) now points at a new model version.</summary>
/// <param name="Model">Registered model name.</param>
/// <param name="Version">The version the alias points at now.</param>
/// <param name="FromAlias">The alias the version held before (e.g. <c>staging</c>), or null.</param>
/// <param name="ToAlias">The alias it was promoted to.</param>
/// <param name="Reason">Why, for the audit trail (e.g. the gate decision digest).</param>
/// <param name="PromotedAt">When the alias moved.</param>
public sealed record ModelPromoted(
    string Model,
    string Version,
    string? FromAlias,
    string ToAlias,
    string Reason,
    DateTimeOffset PromotedAt);
