import { Badge, Table, Text } from '@mantine/core';
import { memo, useMemo, type ClipboardEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { decimal, significant } from '../../ui/format';
import { fieldError } from '../../ui/problem';
import classes from './ReadingsGrid.module.css';
import type { PointView, SheetPoint, Worksheet } from './useWorksheet';

/** A change of the points, as a function of the latest ones (stable across renders). */
export type PointsUpdate = (update: (points: SheetPoint[]) => SheetPoint[]) => void;

interface GridProps {
  sheet: Worksheet;
  points: SheetPoint[];
  onChange: PointsUpdate;
  preview: PointView[] | undefined;
  error: unknown;
  readOnly: boolean;
}

/** Column 0 is the reference value, then the readings. */
function setCell(points: SheetPoint[], row: number, col: number, value: string): SheetPoint[] {
  return points.map((p, i) => {
    if (i !== row) return p;
    if (col === 0) return { ...p, referenceValue: value };
    return { ...p, readings: p.readings.map((r, j) => (j === col - 1 ? value : r)) };
  });
}

function focusCell(row: number, col: number): void {
  document.querySelector<HTMLInputElement>(`input[data-cell="${row}:${col}"]`)?.focus();
}

/** Enter goes down the column (the way readings are taken); Tab goes across, as browsers do. */
function onKeyDown(e: KeyboardEvent<HTMLInputElement>, row: number, col: number, rows: number): void {
  if (e.key !== 'Enter') return;
  e.preventDefault();
  if (row + 1 < rows) focusCell(row + 1, col);
  else focusCell(0, col + 1);
}

/** The lines of a column pasted from a spreadsheet (first cell of each), or null for a single value. */
function pastedColumn(e: ClipboardEvent<HTMLInputElement>): string[] | null {
  const lines = e.clipboardData
    .getData('text')
    .split(/\r?\n/)
    .map((l) => l.split('\t')[0]!.trim())
    .filter(Boolean);
  if (lines.length < 2) return null;
  e.preventDefault();
  return lines;
}

/** A pasted column fills this cell and the ones below it. */
function fillColumn(points: SheetPoint[], row: number, col: number, lines: string[]): SheetPoint[] {
  return lines.reduce((acc, line, k) => (row + k < acc.length ? setCell(acc, row + k, col, line) : acc), points);
}

function Outcome({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <span className={classes.dimmed}>—</span>;
  return <Badge color={value === 'pass' ? 'teal' : value === 'fail' ? 'red' : 'yellow'}>{t(`outcome.${value}`)}</Badge>;
}

interface RowProps {
  row: number;
  rows: number;
  point: SheetPoint;
  sheetPoint: Worksheet['points'][number];
  preview: PointView | undefined;
  pointError: string | undefined;
  columns: string[];
  onChange: PointsUpdate;
  readOnly: boolean;
}

/** One point: its cells are plain inputs; a row re-renders only when its own values change. */
const PointRow = memo(function PointRow(props: RowProps) {
  const { t } = useTranslation('worksheet');
  const { row, rows, point, sheetPoint: sp, preview: p, onChange, readOnly } = props;
  const input = (col: number, value: string) => (
    <td key={col}>
      <input
        className={classes.cell}
        value={value}
        readOnly={readOnly}
        inputMode="decimal"
        aria-label={t('cell', { column: props.columns[col], point: row + 1 })}
        aria-invalid={props.pointError ? true : undefined}
        data-error={props.pointError ? true : undefined}
        data-cell={`${row}:${col}`}
        onKeyDown={(e) => onKeyDown(e, row, col, rows)}
        onPaste={(e) => {
          const lines = pastedColumn(e);
          if (lines) onChange((points) => fillColumn(points, row, col, lines));
        }}
        onChange={(e) => {
          const v = e.currentTarget.value;
          onChange((points) => setCell(points, row, col, v));
        }}
      />
    </td>
  );
  return (
    <>
      <tr>
        <td>{row + 1}</td>
        <td>
          {decimal(sp.nominal)} {sp.unit}
        </td>
        {input(0, point.referenceValue)}
        {point.readings.map((r, j) => input(j + 1, r))}
        <td>{decimal(p?.roundedError)}</td>
        <td>{decimal(p?.roundedExpandedUncertainty)}</td>
        <td>{significant(p?.coverageFactor)}</td>
        <td>{significant(p?.mpe ?? sp.mpe, 4)}</td>
        <td>{significant(p?.capabilityRatio)}</td>
        <td style={{ minWidth: 130 }} aria-label={`${t('decision')} ${row + 1}`}>
          <Outcome value={p?.decision} />
        </td>
      </tr>
      {props.pointError && (
        <tr>
          <td colSpan={20}>
            <Text c="red" size="sm" role="alert">
              {props.pointError}
            </Text>
          </td>
        </tr>
      )}
    </>
  );
});

export function ReadingsGrid({ sheet, points, onChange, preview, error, readOnly }: GridProps) {
  const { t } = useTranslation('worksheet');
  const readingCount = Math.max(...sheet.points.map((p) => p.readings));
  const columns = useMemo(
    () => [t('reference'), ...Array.from({ length: readingCount }, (_, n) => t('readingN', { n: n + 1 }))],
    [t, readingCount],
  );
  return (
    <Table aria-label={t('readings')} withTableBorder className={classes.grid}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('point')}</Table.Th>
          <Table.Th>{t('nominal')}</Table.Th>
          {columns.map((c) => (
            <Table.Th key={c}>{c}</Table.Th>
          ))}
          {['error', 'U', 'k', 'mpe', 'ratio', 'decision'].map((c) => (
            <Table.Th key={c}>{t(c)}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <tbody>
        {points.map((p, row) => (
          <PointRow
            key={row}
            row={row}
            rows={points.length}
            point={p}
            sheetPoint={sheet.points[row]!}
            preview={preview?.[row]}
            pointError={fieldError(error, `points[${row}]`)}
            columns={columns}
            onChange={onChange}
            readOnly={readOnly}
          />
        ))}
      </tbody>
    </Table>
  );
}
