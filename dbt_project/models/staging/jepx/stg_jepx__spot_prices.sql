-- Family B spot results, one row per delivery date x period (JST), renamed and typed.
-- Columns: see macro jepx_spot_base_columns (dates, periods, volumes kWh, prices JPY/kWh).
with source as (
    select * from {{ source('jepx', 'spot_summary') }}
),

renamed as (
    select
        {{ jepx_spot_base_columns() }}
    from source
)

select * from renamed
