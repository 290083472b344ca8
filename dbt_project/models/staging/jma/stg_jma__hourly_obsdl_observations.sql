-- JMA hourly observations from obsdl CSVs: one row per station x hour (start, JST and UTC).
{{ stg_jma_hourly(source('jma', 'hourly_obsdl')) }}
