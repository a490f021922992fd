import { Badge, Table, Text, TextInput } from '@mantine/core';
import type { ClipboardEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { decimal, significant } from '../../ui/format';
import { fieldError } from '../../ui/problem';
import type { PointView, SheetPoint, Worksheet } from './useWorksheet';

interface GridProps {
  sheet: Worksheet;
  points: SheetPoint[];
  onChange: (points: SheetPoint[]) => void;
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

/** A column pasted from a spreadsheet fills this cell and the ones below it. */
function pasteColumn(e: ClipboardEvent<HTMLInputElement>, points: SheetPoint[], row: number, col: number) {
  const lines = e.clipboardData
    .getData('text')
    .split(/\r?\n/)
    .map((l) => l.split('\t')[0]!.trim())
    .filter(Boolean);
  if (lines.length < 2) return null;
  e.preventDefault();
  return lines.reduce((acc, line, k) => (row + k < acc.length ? setCell(acc, row + k, col, line) : acc), points);
}

function Outcome({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <Text c="dimmed">—</Text>;
  return <Badge color={value === 'pass' ? 'teal' : value === 'fail' ? 'red' : 'yellow'}>{t(`outcome.${value}`)}</Badge>;
}

function PreviewCells({ p, sheet, index }: { p: PointView | undefined; sheet: Worksheet; index: number }) {
  const { t } = useTranslation('worksheet');
  return (
    <>
      <Table.Td>{decimal(p?.roundedError)}</Table.Td>
      <Table.Td>{decimal(p?.roundedExpandedUncertainty)}</Table.Td>
      <Table.Td>{significant(p?.coverageFactor)}</Table.Td>
      <Table.Td>{significant(p?.mpe ?? sheet.points[index]?.mpe, 4)}</Table.Td>
      <Table.Td>{significant(p?.capabilityRatio)}</Table.Td>
      <Table.Td miw={130} aria-label={`${t('decision')} ${index + 1}`}>
        <Outcome value={p?.decision} />
      </Table.Td>
    </>
  );
}

export function ReadingsGrid({ sheet, points, onChange, preview, error, readOnly }: GridProps) {
  const { t } = useTranslation('worksheet');
  const readingCount = Math.max(...sheet.points.map((p) => p.readings));
  const columns = [t('reference'), ...Array.from({ length: readingCount }, (_, n) => t('readingN', { n: n + 1 }))];
  const input = (row: number, col: number, value: string) => (
    <TextInput
      size="xs"
      w={96}
      value={value}
      readOnly={readOnly}
      inputMode="decimal"
      aria-label={t('cell', { column: columns[col], point: row + 1 })}
      data-cell={`${row}:${col}`}
      onKeyDown={(e) => onKeyDown(e, row, col, points.length)}
      onPaste={(e) => {
        const pasted = pasteColumn(e, points, row, col);
        if (pasted) onChange(pasted);
      }}
      onChange={(e) => onChange(setCell(points, row, col, e.currentTarget.value))}
    />
  );
  return (
    <Table aria-label={t('readings')} withTableBorder>
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
      <Table.Tbody>
        {points.map((p, row) => (
          <PointRow key={row} row={row} sheet={sheet} error={error}>
            <Table.Td>{input(row, 0, p.referenceValue)}</Table.Td>
            {p.readings.map((r, j) => (
              <Table.Td key={j}>{input(row, j + 1, r)}</Table.Td>
            ))}
            <PreviewCells p={preview?.[row]} sheet={sheet} index={row} />
          </PointRow>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PointRow(props: { row: number; sheet: Worksheet; error: unknown; children: React.ReactNode }) {
  const pointError = fieldError(props.error, `points[${props.row}]`);
  const sp = props.sheet.points[props.row]!;
  return (
    <>
      <Table.Tr>
        <Table.Td>{props.row + 1}</Table.Td>
        <Table.Td>
          {decimal(sp.nominal)} {sp.unit}
        </Table.Td>
        {props.children}
      </Table.Tr>
      {pointError && (
        <Table.Tr>
          <Table.Td colSpan={20}>
            <Text c="red" size="sm" role="alert">
              {pointError}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
