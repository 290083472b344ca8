-- The avoidable cost (回避可能原価) and FIP reference price published twice: in the fit_fip
-- files and in the legacy family-A spot file (spot_market_excel). They must agree (publisher
-- consistency, warn); one row per period and column that differs by more than 0.005 JPY/kWh.
{{ config(severity='warn', store_failures=true) }}

{% set columns = ['avoidable_cost_national_jpy_kwh', 'fip_reference_price_national_jpy_kwh'] %}
{% for area in jepx_area_slugs() %}
    {% do columns.append('avoidable_cost_' ~ area ~ '_jpy_kwh') %}
    {% do columns.append('fip_reference_price_' ~ area ~ '_jpy_kwh') %}
{% endfor %}

with fit_fip as (
    select * from {{ ref('stg_jepx__fit_fip_prices') }}
),

excel as (
    select * from {{ ref('stg_jepx__spot_market_excel_prices') }}
),

compared as (
    {% for column in columns %}
        select
            fit_fip.delivery_date,
            fit_fip.delivery_period,
            '{{ column }}' as column_name,
            fit_fip.{{ column }} as fit_fip_value,
            excel.{{ column }} as spot_market_excel_value
        from fit_fip
        inner join excel
            on
                fit_fip.delivery_date = excel.delivery_date
                and fit_fip.delivery_period = excel.delivery_period
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select *
from compared
where
    abs(fit_fip_value - spot_market_excel_value) > 0.005
    or (fit_fip_value is null) <> (spot_market_excel_value is null)
