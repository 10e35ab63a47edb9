{#- The comparison form of a division name as an article wrote it, within its company:
    lower case, hyphens as spaces, no leading "the"/"its", no leading company name, no trailing
    word that only says "a part of" ("unit", "division", "business", "team" ...).
    "its cloud-computing unit" -> 'cloud computing'; "Google's Cloud unit" -> 'cloud'. -#}
{% macro division_name_key(division_expr, company_expr) -%}
    trim(regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(replace(lower(trim({{ division_expr }})), '-', ' '), '^(the|its|their) ', ''),
                '^' || regexp_replace(lower({{ company_expr }}), '([.^$*+?()\[\]{}|\\])', '\\\1', 'g') || '(''s)? ', ''),
            '\s+(units?|divisions?|business(es)?|arm|teams?|group|department|segment|organi[sz]ation|org)$', ''),
        '\s+', ' ', 'g'))
{%- endmacro %}
