import { Table } from '@mantine/core';

/** A list's table: named for assistive technology (and the browser tests), its column headers, its rows. */
export function ListTable(props: { label: string; headers: string[]; children: React.ReactNode }) {
  return (
    <Table striped highlightOnHover aria-label={props.label}>
      <Table.Thead>
        <Table.Tr>
          {props.headers.map((h, i) => (
            <Table.Th key={`${i}-${h}`}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{props.children}</Table.Tbody>
    </Table>
  );
}
