using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Truust.Api.Http;
using Truust.Domain;

namespace Truust.Api.Reports;

/// <summary>
/// Writes rows to the response body as they come from the database: NDJSON (one JSON object per line, named as in
/// every JSON answer) or CSV (RFC 4180, CsvHelper, header line from the same snake_case names). Nothing is buffered
/// beyond a few kilobytes: the rows are an async enumerable over an open data reader, flushed every
/// <see cref="FlushEvery"/> rows, so memory stays flat however many rows the report has. The request's abort token
/// stops the query when the client goes away. Input is checked before this result is made: once the first byte is
/// sent the status is 200, and a failure after it aborts the connection (a truncated stream, never a 200 that looks
/// complete: an NDJSON or CSV consumer sees the last line cut off).
/// </summary>
public sealed class StreamedRows<T>(IAsyncEnumerable<T> rows, ReportFormat format, string fileName) : IActionResult
{
    public const string NdjsonMediaType = "application/x-ndjson";
    public const string CsvMediaType = "text/csv";
    private const int FlushEvery = 256;

    private static readonly PropertyInfo[] Columns = typeof(T)
        .GetProperties()
        .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.Name != "Object")
        .ToArray();

    private static readonly string[] Headers = Columns
        .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
        .ToArray();

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var csv = format == ReportFormat.Csv;
        http.Response.ContentType = csv ? $"{CsvMediaType}; charset=utf-8" : NdjsonMediaType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.{(csv ? "csv" : "ndjson")}\"";
        if (csv)
        {
            await WriteCsvAsync(http.Response.Body, ct);
        }
        else
        {
            await WriteNdjsonAsync(http.Response.BodyWriter, ct);
        }
    }

    private async Task WriteNdjsonAsync(System.IO.Pipelines.PipeWriter body, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(
            body,
            new JsonWriterOptions { Encoder = JsonDefaults.Options.Encoder, SkipValidation = true }
        );
        var count = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            JsonSerializer.Serialize(json, row, JsonDefaults.Options);
            json.Flush();
            json.Reset();
            body.Write("\n"u8);
            if (++count % FlushEvery == 0)
            {
                await body.FlushAsync(ct);
            }
        }

        await body.FlushAsync(ct);
    }

    private async Task WriteCsvAsync(Stream body, CancellationToken ct)
    {
        await using var writer = CsvWriter.Create(body, null, leaveOpen: true);
        writer.WriteHeader(Headers);
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var column in Columns)
            {
                writer.WriteField(Cell(column.GetValue(row)));
            }

            // Flushes when its buffer is mostly full: the response gets the rows in chunks of a few kilobytes.
            await writer.EndRecordAsync(ct);
        }

        await writer.FlushAsync(ct);
    }

    /// <summary>A cell as the JSON answer spells the value: enums by wire name, instants in ISO 8601 UTC.</summary>
    private static string Cell(object? value) =>
        value switch
        {
            null => "",
            Enum e => WireName.Of(e),
            bool b => b ? "true" : "false",
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable<string> list => string.Join(';', list),
            _ => value.ToString() ?? "",
        };
}
