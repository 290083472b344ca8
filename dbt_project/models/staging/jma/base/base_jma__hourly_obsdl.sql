-- Every fetched version of every JMA obsdl hourly row, renamed and typed (one row per station
-- x hour x fetched file version once the raw table keeps revision history), the hour's start in
-- JST and UTC (macro jma_hourly_rows, shared with base_jma__hourly_etrn).
{{ jma_hourly_rows(source('jma', 'hourly_obsdl')) }}
